import { dashboardLink, escapeHtml, formatMoney, teamsCardMessage, type MoneyAmount } from './notice';
import type { WebhookFormat } from './webhook';

/**
 * The weekly cost digest: last week's cost per billing currency (never added across currencies),
 * its change against the week before, the top services and the accounts, and how many alerts are
 * open. Built by the alerting service from the store; rendered here per channel.
 */
export interface DigestCurrency {
  currency: string;
  total: string;
  previousTotal: string;
  /** (total − previous) / previous × 100, 1 place; null when the previous week had no cost. */
  changePercent: string | null;
  topServices: { name: string; amount: string }[];
  accounts: { name: string; amount: string }[];
}

export interface CostDigest {
  /** The week reported, both days included (YYYY-MM-DD). */
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  currencies: DigestCurrency[];
  openAlerts: number;
  /** Dashboard path the links open ('/explorer?from=…'). */
  path: string;
}

const money = (amount: string, currency: string) => formatMoney({ amount, currency } as MoneyAmount);
const change = (c: DigestCurrency) => (c.changePercent === null ? 'new this week' : `${c.changePercent.startsWith('-') ? '' : '+'}${c.changePercent} % vs the week before`);

export function digestLink(d: CostDigest, baseUrl: string): string {
  return dashboardLink(d.path, baseUrl);
}

export function digestHeadline(d: CostDigest): string {
  const totals = d.currencies.map((c) => money(c.total, c.currency)).join(' · ') || 'no cost';
  return `Weekly cost digest ${d.from} to ${d.to}: ${totals}`;
}

/** Lines of text (shared by the e-mail and the chat payloads). */
function digestLines(d: CostDigest): string[] {
  const lines: string[] = [];
  if (d.currencies.length === 0) lines.push('No cost was recorded this week.');
  for (const c of d.currencies) {
    lines.push(`${money(c.total, c.currency)} (${change(c)}; previous week ${money(c.previousTotal, c.currency)})`);
    if (c.topServices.length) lines.push(`  Top services: ${c.topServices.map((s) => `${s.name} ${money(s.amount, c.currency)}`).join(', ')}`);
    if (c.accounts.length) lines.push(`  Accounts: ${c.accounts.map((a) => `${a.name} ${money(a.amount, c.currency)}`).join(', ')}`);
  }
  lines.push(`Open alerts: ${d.openAlerts}`);
  return lines;
}

export function renderDigestEmail(d: CostDigest, baseUrl: string): { subject: string; text: string; html: string } {
  const link = digestLink(d, baseUrl);
  const subject = `[Meridian] ${digestHeadline(d)}`;
  const text = [digestHeadline(d), '', ...digestLines(d), '', `Open in Meridian: ${link}`, ''].join('\n');
  const blocks = d.currencies.map((c) =>
    [
      `<h3>${escapeHtml(money(c.total, c.currency))} <small>${escapeHtml(change(c))}</small></h3>`,
      '<table cellpadding="4">',
      ...c.topServices.map((s) => `<tr><th align="left">${escapeHtml(s.name)}</th><td align="right">${escapeHtml(money(s.amount, c.currency))}</td></tr>`),
      '</table>',
      `<p>Accounts: ${escapeHtml(c.accounts.map((a) => `${a.name} ${money(a.amount, c.currency)}`).join(', '))}</p>`,
    ].join('\n'),
  );
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2>${escapeHtml(`Weekly cost digest ${d.from} to ${d.to}`)}</h2>`,
    ...(blocks.length ? blocks : ['<p>No cost was recorded this week.</p>']),
    `<p>Open alerts: ${d.openAlerts}</p>`,
    `<p><a href="${escapeHtml(link)}">Open in Meridian</a></p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** The digest as a webhook body: Meridian JSON (structured), Slack text, or a Teams Adaptive Card. */
export function digestPayload(format: WebhookFormat, d: CostDigest, baseUrl: string, dedupKey: string): unknown {
  const link = digestLink(d, baseUrl);
  if (format === 'slack') return { text: `${digestHeadline(d)}\n${digestLines(d).join('\n')}\n<${link}|Open in Meridian>` };
  if (format === 'teams') {
    const body = [
      { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: `Weekly cost digest ${d.from} to ${d.to}` },
      ...digestLines(d).map((text) => ({ type: 'TextBlock', wrap: true, text })),
    ];
    return teamsCardMessage(body, link, dedupKey);
  }
  return { version: 1, event: 'digest.weekly', dedupKey, digest: d, link };
}
