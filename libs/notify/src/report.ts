import { dashboardLink, escapeHtml } from './notice';

/**
 * A scheduled report: a saved view's table over one period, built by the alerting lib under the
 * subscriber's scope at send time. Amounts are the store's exact decimal strings, one row per
 * currency (never added across currencies); `reporting` is the same table converted into the
 * reporting currency, each month at its own rate, when the view or the organisation asks for one.
 */
export interface ScheduledReport {
  viewName: string;
  frequency: 'daily' | 'weekly' | 'monthly';
  /** Period key ('2026-11-24', '2026-W48', '2026-11') and its days, both included. */
  period: { key: string; from: string; to: string };
  /** Column titles of the grouping dimensions ('Service', 'Region'). */
  columns: string[];
  rows: { keys: string[]; labels: string[]; currency: string; amount: string }[];
  totals: { currency: string; amount: string }[];
  reporting?:
    | { currency: string; rows: { labels: string[]; amount: string }[]; total: string; rates: { from: string; to: string; period: string; factor: string }[] }
    | { currency: string; error: string };
  /** Dashboard path of the view over the period ('/explorer?group=service&from=…'). */
  path: string;
}

export interface RenderedReportEmail {
  subject: string;
  text: string;
  html: string;
  attachment: { filename: string; content: string; contentType: string };
}

const FREQUENCY_WORD = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' } as const;

/** Quotes what needs it and neutralises spreadsheet formulas in text cells (CSV injection), as the api's exports do. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report's rows as CSV: each dimension's key and, where it differs, its name; currency; exact amount. */
export function reportCsv(r: ScheduledReport): string {
  const named = r.columns.map((_, i) => r.rows.some((row) => row.labels[i] !== row.keys[i]));
  const header = ['period_start', 'period_end', ...r.columns.flatMap((c, i) => (named[i] ? [c, `${c} name`] : [c])), 'currency', 'amount'];
  const lines = r.rows.map((row) => [r.period.from, r.period.to, ...row.keys.flatMap((k, i) => (named[i] ? [k, row.labels[i]] : [k])), row.currency, row.amount]);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function reportSubject(r: ScheduledReport): string {
  const totals = r.totals.map((t) => `${t.currency} ${t.amount}`).join(' · ') || 'no cost';
  return `[Meridian] ${FREQUENCY_WORD[r.frequency]} report "${r.viewName}" ${periodWords(r)}: ${totals}`;
}

function periodWords(r: ScheduledReport): string {
  return r.period.from === r.period.to ? r.period.from : `${r.period.from} to ${r.period.to}`;
}

/** Subject, plain text, HTML table and CSV attachment of a scheduled report. */
export function renderReportEmail(r: ScheduledReport, baseUrl: string): RenderedReportEmail {
  const link = dashboardLink(r.path, baseUrl);
  const head = [...r.columns, 'Currency', 'Amount'];
  const body = r.rows.map((row) => [...row.labels, row.currency, row.amount]);
  const text = [
    `${FREQUENCY_WORD[r.frequency]} report "${r.viewName}", ${periodWords(r)} (${r.period.key}, UTC days)`,
    '',
    head.join('\t'),
    ...body.map((cells) => cells.join('\t')),
    '',
    ...r.totals.map((t) => `Total ${t.currency}: ${t.amount}`),
    ...reportingText(r),
    '',
    `Open in Meridian: ${link}`,
    'The attached CSV holds the same rows with every digit.',
    '',
  ].join('\n');
  const cell = (v: string, numeric = false) => `<td${numeric ? ' align="right"' : ''}>${escapeHtml(v)}</td>`;
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2>${escapeHtml(`${FREQUENCY_WORD[r.frequency]} report: ${r.viewName}`)}</h2>`,
    `<p>${escapeHtml(`${periodWords(r)} (${r.period.key}, UTC days). Only the accounts and customers you may see today are included.`)}</p>`,
    '<table cellpadding="4" border="1" style="border-collapse:collapse">',
    `<thead><tr>${head.map((h) => `<th align="left">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...r.rows.map((row) => `<tr>${row.labels.map((l) => cell(l)).join('')}${cell(row.currency)}${cell(row.amount, true)}</tr>`),
    '</tbody>',
    `<tfoot>${r.totals.map((t) => `<tr><th align="left" colspan="${r.columns.length}">Total</th>${cell(t.currency)}${cell(t.amount, true)}</tr>`).join('')}</tfoot>`,
    '</table>',
    ...reportingHtml(r),
    `<p><a href="${escapeHtml(link)}">Open in Meridian</a></p>`,
    '</body></html>',
  ].join('\n');
  const filename = `${r.viewName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'report'}-${r.period.key}.csv`;
  return { subject: reportSubject(r), text, html, attachment: { filename, content: reportCsv(r), contentType: 'text/csv; charset=utf-8' } };
}

function reportingText(r: ScheduledReport): string[] {
  const rep = r.reporting;
  if (!rep) return [];
  if ('error' in rep) return ['', `In ${rep.currency}: not converted (${rep.error})`];
  return ['', `In ${rep.currency} (each month at its rate):`, ...rep.rows.map((row) => `${row.labels.join(' / ')}\t${rep.currency}\t${row.amount}`), `Total ${rep.currency}: ${rep.total}`, ...rep.rates.map((x) => `Rate ${x.from}→${x.to} ${x.period}: ${x.factor}`)];
}

function reportingHtml(r: ScheduledReport): string[] {
  const rep = r.reporting;
  if (!rep) return [];
  if ('error' in rep) return [`<p>${escapeHtml(`In ${rep.currency}: not converted (${rep.error}).`)}</p>`];
  return [
    `<h3>${escapeHtml(`In ${rep.currency}`)}</h3>`,
    '<table cellpadding="4" border="1" style="border-collapse:collapse">',
    `<thead><tr>${[...r.columns, 'Amount'].map((h) => `<th align="left">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rep.rows.map((row) => `<tr>${row.labels.map((l) => `<td>${escapeHtml(l)}</td>`).join('')}<td align="right">${escapeHtml(`${rep.currency} ${row.amount}`)}</td></tr>`),
    '</tbody>',
    `<tfoot><tr><th align="left" colspan="${r.columns.length}">Total</th><td align="right">${escapeHtml(`${rep.currency} ${rep.total}`)}</td></tr></tfoot>`,
    '</table>',
    `<p>${escapeHtml(`Rates: ${rep.rates.map((x) => `${x.from}→${x.to} ${x.period} ${x.factor}`).join('; ') || 'none needed'}`)}</p>`,
  ];
}
