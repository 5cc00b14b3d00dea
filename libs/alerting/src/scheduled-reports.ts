import { viewReportSpec, type CostDimension, type ViewReportSpec } from '@meridian/contracts';
import { convertAmounts, lastCompleteReportPeriod, MissingRatesError, REPORT_FREQUENCIES, sumDecimals, type ReportFrequency, type ReportPeriod } from '@meridian/finops';
import { EmailChannel, retryDelivery, type ScheduledReport } from '@meridian/notify';
import { AccessScope, mayUse, SavedViewRepository, scopeFor, type CostFilter, type ReportSubscriptionTarget, type Store } from '@meridian/store';
import type { AlertingConfig } from './alerting.config';

const COLUMN_TITLE: Record<CostDimension, string> = {
  service: 'Service',
  region: 'Region',
  account: 'Account',
  cloud: 'Cloud',
  customer: 'Customer',
  subscription: 'Subscription',
  resourceGroup: 'Resource group',
  meter: 'Meter',
  chargeType: 'Charge type',
  invoice: 'Invoice',
  tag: 'Tag',
};

/** Why a subscription got no report this run (kept in the run's result and logged; never e-mailed). */
export type ReportSkipReason = 'user disabled' | 'no costs:read grant' | 'view no longer visible' | 'no account of the view in scope' | 'not a cost view' | 'unknown frequency';

export interface ReportRunResult {
  subscriptions: number;
  sent: number;
  /** Already delivered for its period, or being sent by another worker. */
  alreadySent: number;
  failed: number;
  skipped: { subscriptionId: string; reason: ReportSkipReason }[];
}

interface Logger {
  log(message: string): void;
  error(message: string): void;
}

/**
 * Sends the scheduled reports that are due (docs/decisions/0021-scheduled-reports.md). For each
 * subscription, the period due at `at` is the last complete one (UTC); the subscriber's grants are
 * read now and turned into an access scope by the same code the api uses per request; a subscriber
 * who lost the view or every account it concerns gets nothing. A delivery row per (subscription,
 * period) is claimed before sending, so any number of workers, or a restart, send each period once.
 */
export class ScheduledReportSender {
  constructor(
    private readonly store: Store,
    private readonly config: AlertingConfig,
    private readonly options: { logger: Logger; sleep?: (ms: number) => Promise<void> },
  ) {}

  async sendDue({ at }: { at: Date }): Promise<ReportRunResult> {
    const targets = await this.store.reportSubscriptions.targets();
    const result: ReportRunResult = { subscriptions: targets.length, sent: 0, alreadySent: 0, failed: 0, skipped: [] };
    for (const target of targets) {
      const outcome = await this.sendOne(target, at).catch((err: Error) => {
        this.options.logger.error(`report of subscription ${target.id}: ${err.message}`);
        return 'failed' as const;
      });
      if (outcome === 'sent') result.sent++;
      else if (outcome === 'already-sent') result.alreadySent++;
      else if (outcome === 'failed') result.failed++;
      else result.skipped.push({ subscriptionId: target.id, reason: outcome.skipped });
    }
    if (targets.length) {
      this.options.logger.log(
        `scheduled reports: ${result.sent} sent, ${result.alreadySent} already sent, ${result.failed} failed, ${result.skipped.length} skipped of ${targets.length} subscription(s)`,
      );
    }
    return result;
  }

  private async sendOne(target: ReportSubscriptionTarget, at: Date): Promise<'sent' | 'already-sent' | 'failed' | { skipped: ReportSkipReason }> {
    if (!(REPORT_FREQUENCIES as readonly string[]).includes(target.frequency)) return { skipped: 'unknown frequency' };
    const period = lastCompleteReportPeriod(target.frequency as ReportFrequency, at);
    const previous = await this.store.reportSubscriptions.delivery(target.id, period.key);
    if (previous && previous.status !== 'failed') return 'already-sent';

    const access = await this.subscriberAccess(target);
    if ('skipped' in access) return access;
    if (!this.config.smtp) throw new Error('scheduled reports need MERIDIAN_SMTP_URL (and MERIDIAN_SMTP_FROM) to be set');

    const deliveryId = await this.store.reportSubscriptions.claim(target.id, period.key, at);
    if (!deliveryId) return 'already-sent';
    try {
      const report = await this.buildReport(target, access.spec, access.scope, access.effective, period);
      const channel = new EmailChannel({
        host: this.config.smtp.host,
        port: this.config.smtp.port,
        secure: this.config.smtp.secure,
        ...(this.config.smtp.auth ? { auth: this.config.smtp.auth } : {}),
        requireTLS: this.config.smtp.requireTLS,
        from: this.config.smtp.from,
        to: [target.user.email],
        baseUrl: this.config.publicUrl,
      });
      const dedupKey = `report/${target.id}/${period.key}`;
      try {
        const outcome = await retryDelivery('email', dedupKey, () => channel.sendReport(report, dedupKey), {
          ...this.config.delivery,
          ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
        });
        if (outcome.delivered) {
          await this.store.reportSubscriptions.markSent(deliveryId, new Date(), report.rows.length);
          return 'sent';
        }
        await this.store.reportSubscriptions.markFailed(deliveryId, outcome.last?.error ?? 'not delivered');
        return 'failed';
      } finally {
        channel.close();
      }
    } catch (err) {
      // Released as failed, so the next run tries this period again.
      await this.store.reportSubscriptions.markFailed(deliveryId, (err as Error).message);
      throw err;
    }
  }

  /**
   * The subscriber's access now: their costs:read scope from their current grants (as the api
   * computes it per request), the view still visible to them (decision 0012's coverage rule), and
   * the accounts the view's query names narrowed to that scope — empty means nothing to send.
   */
  private async subscriberAccess(target: ReportSubscriptionTarget): Promise<{ spec: ViewReportSpec; scope: AccessScope; effective: AccessScope } | { skipped: ReportSkipReason }> {
    if (target.user.disabled) return { skipped: 'user disabled' };
    const principal = { userId: target.user.id, isOwner: target.user.isOwner, grants: await this.store.users.grantsOf(target.user.id) };
    if (!mayUse(principal, 'costs:read')) return { skipped: 'no costs:read grant' };
    const scope = scopeFor(principal, 'costs:read');
    const visible = target.view.ownerId === target.user.id || (target.view.shared && SavedViewRepository.covers(scope, target.view.accountIds));
    if (!visible) return { skipped: 'view no longer visible' };
    const spec = viewReportSpec(target.view.path, target.view.query);
    if (!spec) return { skipped: 'not a cost view' };
    const effective = scope.narrow(spec.accountIds);
    if (effective.ids()?.length === 0) return { skipped: 'no account of the view in scope' };
    return { spec, scope, effective };
  }

  /** The view's breakdown over the period under the subscriber's scope, labelled, and converted when asked. */
  async buildReport(target: ReportSubscriptionTarget, spec: ViewReportSpec, scope: AccessScope, effective: AccessScope, period: ReportPeriod): Promise<ScheduledReport> {
    const filter: CostFilter = { from: period.from, to: period.to, includeSandbox: spec.includeSandbox, includeEstimated: spec.includeEstimated, where: spec.where, ...(spec.tagKey ? { tagKey: spec.tagKey } : {}) };
    const dims = spec.groupBy;
    const { rows, totals } = await this.store.costs.breakdown(effective, dims, filter);
    const label = await this.labels(effective, dims, spec.includeSandbox);
    const labelled = rows.map((r) => {
      const keys = dims.map((d) => r.keys[d] ?? '');
      return { keys, labels: keys.map((k, i) => label(dims[i], k)), currency: r.currency, amount: r.amount };
    });
    const reportingCurrency = spec.currency === 'none' ? null : (spec.currency ?? (await this.organisationCurrency()));
    const params = new URLSearchParams(target.view.query);
    for (const k of ['preset', 'from', 'to']) params.delete(k);
    params.set('from', period.from);
    params.set('to', period.to);
    return {
      viewName: target.view.name,
      frequency: target.frequency as ReportFrequency,
      period: { key: period.key, from: period.from, to: period.to },
      columns: dims.map((d) => (d === 'tag' && spec.tagKey ? `Tag ${spec.tagKey}` : COLUMN_TITLE[d])),
      rows: labelled,
      totals,
      ...(reportingCurrency ? { reporting: await this.converted(scope, effective, dims, filter, reportingCurrency, label) } : {}),
      path: `${target.view.path}?${params.toString()}`,
    };
  }

  private async organisationCurrency(): Promise<string | null> {
    const value = (await this.store.settings.all()).values.reportingCurrency;
    return typeof value === 'string' && /^[A-Z]{3}$/.test(value) ? value : null;
  }

  /** As the api's reporting currency: each (key, month) at that month's rate, then summed per key. */
  private async converted(scope: AccessScope, effective: AccessScope, dims: CostDimension[], filter: CostFilter, currency: string, label: (d: CostDimension, key: string) => string): Promise<NonNullable<ScheduledReport['reporting']>> {
    const cells = await this.store.costs.aggregate(effective, [...dims, 'month'], filter);
    const items = cells.map((c) => ({ key: JSON.stringify(c.keys.slice(0, dims.length)), currency: c.currency, period: c.keys[dims.length], amount: c.amount }));
    const months = [...new Set(items.map((i) => i.period))].sort();
    if (!months.length) return { currency, rows: [], total: '0', rates: [] };
    const { layers } = await this.store.rateSources.layers(scope, { from: months[0], to: months[months.length - 1] });
    let converted: ReturnType<typeof convertAmounts>;
    try {
      converted = convertAmounts(items, currency, layers);
    } catch (err) {
      if (err instanceof MissingRatesError) return { currency, error: err.message };
      throw err;
    }
    const byKey = new Map<string, string[]>();
    items.forEach((item, i) => byKey.set(item.key, [...(byKey.get(item.key) ?? []), converted.amounts[i]]));
    return {
      currency,
      rows: [...byKey].map(([key, amounts]) => {
        const keys = JSON.parse(key) as string[];
        return { labels: keys.map((k, i) => label(dims[i], k)), amount: sumDecimals(amounts) };
      }),
      total: sumDecimals(converted.amounts),
      rates: converted.applied.map((a) => ({ from: a.from, to: a.to, period: a.period, factor: a.factor })),
    };
  }

  /** Names of accounts, customers and subscriptions the scope may see; other keys are their own label. */
  private async labels(scope: AccessScope, dims: readonly CostDimension[], includeSandbox: boolean): Promise<(d: CostDimension, key: string) => string> {
    const names = new Map<string, string>();
    const accounts = (await this.store.accounts.list(scope)).filter((a) => includeSandbox || !a.sandbox);
    if (dims.includes('account')) for (const a of accounts) names.set(`account\u0000${a.id}`, a.name);
    if (dims.includes('customer') || dims.includes('subscription')) {
      for (const a of accounts) {
        const customers = await this.store.catalog.listCustomers(scope, [a.id]);
        for (const c of customers) names.set(`customer\u0000${c.id}`, c.companyName);
        if (dims.includes('subscription')) {
          for (const s of await this.store.catalog.listSubscriptions(a.id, customers.map((c) => c.id))) names.set(`subscription\u0000${s.id}`, s.friendlyName);
        }
      }
    }
    return (d, key) => names.get(`${d}\u0000${key}`) ?? (key === '' ? (d === 'invoice' ? 'Unbilled' : '(none)') : key);
  }
}
