import type { Customer, DailyRatedUsageLineItem, InvalidRecord, PartnerCenterClient } from '@meridian/partner-center';
import type { CostRow, CustomerEntity, Store, SubscriptionEntity, SyncProgress } from '@meridian/store';
import { PartnerCenterClients } from './partner-center-clients';
import { mapUsageLineItem } from './usage/usage-line-item.mapper';

export interface SyncLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface AccountSyncResult {
  runId: string;
  status: 'succeeded' | 'failed';
  progress: SyncProgress;
  error?: string;
}

const AZURE_PLAN_PRODUCT = 'DZH318Z0BCZC';
const USAGE_PERIODS = ['previous', 'current'] as const;

/**
 * One account's sync: customers → subscriptions (and Azure plan entitlements) → unbilled daily
 * rated usage of the previous and current period. Pages stream through map → upsert → progress;
 * invalid records are quarantined with their reason. Uses only this account's credentials.
 */
export class AccountSync {
  constructor(
    private readonly store: Store,
    private readonly clients: PartnerCenterClients,
    private readonly logger: SyncLogger,
  ) {}

  async run(accountId: string): Promise<AccountSyncResult> {
    const creds = await this.store.accounts.credentials(accountId);
    const run = await this.store.syncRuns.start(accountId, 'all');
    const progress: SyncProgress = { pages: 0, rows: 0, quarantined: 0 };
    const ctx = { accountId, runId: run.id, progress };
    try {
      const client = this.clients.forAccount(creds);
      const customers = await this.syncCustomers(client, ctx);
      await this.syncSubscriptions(client, customers, ctx);
      for (const period of USAGE_PERIODS) {
        await this.syncUnbilledUsage(client, period, { ...ctx, cloud: creds.cloud, currency: creds.currency });
      }
      await this.store.syncRuns.finish(run.id, { status: 'succeeded', ...progress });
      this.logger.log(`account ${accountId}: sync ${run.id} succeeded (${progress.rows} rows, ${progress.pages} pages, ${progress.quarantined} quarantined)`);
      return { runId: run.id, status: 'succeeded', progress };
    } catch (err) {
      // Never let a credential reach the run record or the log, whatever the error says.
      const message = redact(err instanceof Error ? err.message : String(err), [creds.secret]);
      await this.store.syncRuns.finish(run.id, { status: 'failed', error: message, ...progress });
      this.logger.error(`account ${accountId}: sync ${run.id} failed: ${message}`);
      return { runId: run.id, status: 'failed', progress, error: message };
    }
  }

  private async syncCustomers(client: PartnerCenterClient, ctx: RunContext): Promise<Customer[]> {
    const all: Customer[] = [];
    for await (const page of client.listCustomers({ pageSize: 100 })) {
      const rows: CustomerEntity[] = page.items.map((c) => ({
        accountId: ctx.accountId,
        id: c.id,
        companyName: c.companyProfile?.companyName || c.billingProfile?.companyName || c.id,
        domain: c.companyProfile?.domain || null,
        country: c.billingProfile?.defaultAddress?.country || null,
        relationshipToPartner: c.relationshipToPartner || null,
        syncRunId: ctx.runId,
      }));
      await this.store.catalog.upsertCustomers(rows);
      await this.quarantine(ctx, 'customers', page.invalid);
      all.push(...page.items);
      await this.pageDone(ctx, 0);
    }
    return all;
  }

  private async syncSubscriptions(client: PartnerCenterClient, customers: Customer[], ctx: RunContext): Promise<void> {
    for (const customer of customers) {
      const page = await client.listSubscriptions(customer.id);
      const rows: SubscriptionEntity[] = [];
      for (const s of page.items) {
        const isPlan = (s.offerId || '').startsWith(AZURE_PLAN_PRODUCT);
        rows.push({
          accountId: ctx.accountId,
          id: s.id,
          customerId: customer.id,
          parentId: null,
          kind: isPlan ? 'azure_plan' : s.offerId === 'MS-AZR-0145P' ? 'legacy_azure' : 'license',
          offerId: s.offerId || null,
          friendlyName: s.friendlyName || s.offerName || s.id,
          status: s.status || 'unknown',
          syncRunId: ctx.runId,
        });
        if (isPlan) {
          const entitlements = await client.listAzureEntitlements(customer.id, s.id);
          for (const e of entitlements.items) {
            rows.push({
              accountId: ctx.accountId,
              id: e.id,
              customerId: customer.id,
              parentId: s.id,
              kind: 'azure_subscription',
              offerId: null,
              friendlyName: e.friendlyName || e.id,
              status: e.status || 'unknown',
              syncRunId: ctx.runId,
            });
          }
          await this.quarantine(ctx, 'subscriptions', entitlements.invalid);
        }
      }
      await this.store.catalog.upsertSubscriptions(rows);
      await this.quarantine(ctx, 'subscriptions', page.invalid);
      await this.pageDone(ctx, 0);
    }
  }

  private async syncUnbilledUsage(
    client: PartnerCenterClient,
    period: (typeof USAGE_PERIODS)[number],
    ctx: RunContext & { cloud: string; currency: string },
  ): Promise<void> {
    const mapping = { accountId: ctx.accountId, cloud: ctx.cloud, currency: ctx.currency, syncRunId: ctx.runId, ingestedAt: new Date().toISOString() };
    let billingPeriodStart: string | undefined;
    for await (const page of client.unbilledUsage({ currency: ctx.currency, period, pageSize: 2000 })) {
      const rows: CostRow[] = [];
      const invalid: InvalidRecord[] = [...page.invalid];
      for (const item of page.items as DailyRatedUsageLineItem[]) {
        const mapped = mapUsageLineItem(item, mapping);
        if (mapped.ok) rows.push(mapped.row);
        else invalid.push({ record: item, reason: mapped.reason });
      }
      await this.store.costs.upsert(rows);
      await this.quarantine(ctx, 'unbilled-usage', invalid);
      billingPeriodStart ??= rows[0]?.billingPeriodStart;
      await this.pageDone(ctx, rows.length);
    }
    // The whole period was read: unbilled rows this run did not see are stale estimates.
    if (billingPeriodStart) {
      await this.store.costs.deleteUnbilledNotWrittenBy(ctx.accountId, billingPeriodStart, ctx.runId);
    }
  }

  private async quarantine(ctx: RunContext, stream: string, invalid: InvalidRecord[]): Promise<void> {
    if (invalid.length === 0) return;
    const createdAt = new Date().toISOString();
    await this.store.catalog.quarantine(
      invalid.map((r) => ({
        accountId: ctx.accountId,
        syncRunId: ctx.runId,
        stream,
        reason: r.reason,
        payload: safeJson(r.record),
        createdAt,
      })),
    );
    ctx.progress.quarantined += invalid.length;
  }

  private async pageDone(ctx: RunContext, rows: number): Promise<void> {
    ctx.progress.pages += 1;
    ctx.progress.rows += rows;
    await this.store.syncRuns.progress(ctx.runId, ctx.progress);
  }
}

interface RunContext {
  accountId: string;
  runId: string;
  progress: SyncProgress;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}
