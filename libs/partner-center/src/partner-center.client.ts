/**
 * Typed client for one Partner Center account (one instance per account, never shared).
 * See /work/shared/partner-center-api.md.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { PartnerCenterError } from './errors';
import type { LogEvent, LogFn } from './log';
import { observedFetch, type RequestApi, type RequestObserver } from './observed-fetch';
import { azureEntitlementSchema, type AzureEntitlement } from './models/azure-entitlement';
import { customerSchema, type Customer } from './models/customer';
import { DAILY_RATED_USAGE_DECIMAL_KEYS, dailyRatedUsageLineItemSchema, type DailyRatedUsageLineItem } from './models/daily-rated-usage';
import { BILLING_LINE_ITEM_DECIMAL_KEYS, billingLineItemSchema, type BillingLineItem } from './models/billing-line-item';
import { INVOICE_DECIMAL_KEYS, invoiceSchema, invoiceSummarySchema, type Invoice, type InvoiceSummary } from './models/invoice';
import { formatIssues, validatePage, type InvalidRecord, type Page } from './models/page';
import { subscriptionSchema, type Subscription } from './models/subscription';
import { quoteRateValues, RATE_CARD_DECIMAL_KEYS, rateCardEnvelopeSchema, rateCardMeterSchema, type RateCardMeter } from './models/rate-card';
import { UTILIZATION_DECIMAL_KEYS, utilizationRecordSchema, type UtilizationRecord } from './models/utilization-record';
import { collectionEnvelopeSchema, continuationPages, offsetPages, type CollectionEnvelope, type PageRequest } from './paging';
import { RateLimiter } from './rate-limiter';
import { Redactor } from './redact';
import type { RetryPolicy } from './retry';
import { TokenCache } from './token-cache';
import { PartnerCenterTransport } from './transport';
import { reconciliationFieldMapper, usageFieldMapper } from './graph/field-names';
import { runGraphExport, type ExportContext, type ExportSpec } from './graph/graph-export';
import { GraphTransport } from './graph/graph-transport';
import { tenantFromTokenUrl } from './graph/permission';
import { DEFAULT_GRAPH_SCOPE, type GraphBatch, type GraphClientOptions, type GraphExportOptions, type GraphExportRequest } from './graph/types';

export interface PartnerCenterClientOptions {
  /** API base; paths are `{baseUrl}/v1/...` (e.g. CLOUD_ENDPOINTS.global.apiBaseUrl). */
  baseUrl: string;
  /** Full v1 token endpoint `{authority}/{tenantId}/oauth2/token` (see tokenUrlFor). */
  tokenUrl: string;
  /** Token `resource` (e.g. CLOUD_ENDPOINTS.global.resource). */
  resource: string;
  appId: string;
  secret: string;
  /** Per attempt, including reading the body. Default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 5. */
  maxRetries?: number;
  /** Exponential backoff base. Default 500. */
  retryBaseMs?: number;
  /** Upper bound of one backoff window. Default 60000. */
  maxBackoffMs?: number;
  /** This account's request rate (token bucket). Default 50/s (Partner Center publishes no figure we could confirm). */
  requestsPerSecond?: number;
  /** Requests allowed at once before pacing starts. Default 50. */
  burst?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Structured log sink; events never contain the secret or tokens. */
  log?: (event: LogEvent) => void;
  /** Uniform random in [0, 1) for backoff jitter (tests). Default Math.random. */
  random?: () => number;
  /** Clock in epoch ms (token expiry). Default Date.now. */
  now?: () => number;
  /** Microsoft Graph billing export (§5.5), for accounts whose cloud has it (global). */
  graph?: GraphClientOptions;
  /** Told of every HTTP exchange (each attempt, 429s included): metrics. */
  onRequest?: RequestObserver;
}

export interface CallOptions {
  /** MS-CorrelationId for this call chain; a new GUID by default. */
  correlationId?: string;
}

export interface ListCustomersOptions extends CallOptions {
  /** `size` per page. Default 100. */
  pageSize?: number;
}

export interface UnbilledUsageOptions extends CallOptions {
  /** ISO 4217 code, e.g. `usd`, `EUR` (sent lowercase). */
  currency: string;
  period: 'current' | 'previous';
  /** 1–2000, default 2000. */
  pageSize?: number;
}

export interface BilledUsageOptions extends CallOptions {
  invoiceId: string;
  /** ISO 4217 code of the invoice (sent lowercase). */
  currency: string;
  /** 1–2000, default 2000. */
  pageSize?: number;
}

export interface UtilizationOptions extends CallOptions {
  customerId: string;
  /** The legacy Azure (MS-AZR-0145P) subscription. */
  subscriptionId: string;
  /** Window of *reporting* time, ISO 8601 date-times. */
  startTime: string;
  endTime: string;
  /** Default 'daily'. */
  granularity?: 'daily' | 'hourly';
  /** Default true (resource URI, location, tags). */
  showDetails?: boolean;
  /** 1–1000, default 1000. */
  pageSize?: number;
}

/** An Azure rate card: its meters that validated, and the others with their reasons. */
export interface RateCard {
  locale: string;
  currency: string;
  isTaxIncluded: boolean;
  meters: RateCardMeter[];
  invalid: InvalidRecord[];
}

export const MAX_UTILIZATION_PAGE_SIZE = 1000;
export const MAX_DAILY_RATED_USAGE_PAGE_SIZE = 2000;
export const DEFAULT_INVOICE_PAGE_SIZE = 100;
export const DEFAULT_CUSTOMER_PAGE_SIZE = 100;

export const DEFAULT_GRAPH_POLL_INTERVAL_MS = 10_000;
export const DEFAULT_GRAPH_MAX_POLL_MS = 30 * 60_000;
export const DEFAULT_GRAPH_MAX_EXPORTS = 3;
export const DEFAULT_GRAPH_BATCH_SIZE = 2000;

export class PartnerCenterClient {
  private readonly apiRoot: string;
  private readonly transport: PartnerCenterTransport;
  private readonly graph?: ExportContext;

  constructor(options: PartnerCenterClientOptions) {
    const apiBase = requireUrl(options.baseUrl, 'baseUrl').replace(/\/+$/, '');
    const tokenUrl = requireUrl(options.tokenUrl, 'tokenUrl');
    for (const key of ['resource', 'appId', 'secret'] as const) {
      if (typeof options[key] !== 'string' || options[key].length === 0) throw new TypeError(`PartnerCenterClient: option "${key}" is required`);
    }
    const redactor = new Redactor();
    redactor.add(options.secret);
    const sink = options.log;
    const log: LogFn = (event) => {
      if (!sink) return;
      try {
        sink(redactor.value(event));
      } catch {
        // A failing log sink must not break API calls.
      }
    };
    const now = options.now ?? Date.now;
    const retry: RetryPolicy = {
      maxRetries: nonNegativeInt(options.maxRetries ?? 5, 'maxRetries'),
      retryBaseMs: nonNegativeInt(options.retryBaseMs ?? 500, 'retryBaseMs'),
      maxBackoffMs: options.maxBackoffMs,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
    };
    const graphBase = options.graph?.baseUrl.replace(/\/+$/, '');
    const apiOf = (url: string): RequestApi =>
      url === tokenUrl || url === options.graph?.tokenUrl ? 'token' : graphBase && url.startsWith(graphBase) ? 'graph' : url.startsWith(apiBase) ? 'partner-center' : 'blob';
    const fetchFn = options.onRequest ? observedFetch(options.fetch ?? globalThis.fetch, options.onRequest, apiOf) : (options.fetch ?? globalThis.fetch);
    const timeoutMs = nonNegativeInt(options.timeoutMs ?? 30_000, 'timeoutMs');
    const tokens = new TokenCache({
      tokenUrl,
      resource: options.resource,
      appId: options.appId,
      secret: options.secret,
      fetch: fetchFn,
      timeoutMs,
      retry,
      redactor,
      log,
      now,
    });
    this.apiRoot = `${apiBase}/v1`;
    const limiter = new RateLimiter(options.requestsPerSecond ?? 50, options.burst ?? 50, now);
    this.transport = new PartnerCenterTransport({ fetch: fetchFn, timeoutMs, retry, tokens, limiter, redactor, log, now });
    if (options.graph) {
      const g = options.graph;
      const graphBaseUrl = requireUrl(g.baseUrl, 'graph.baseUrl').replace(/\/+$/, '');
      const graphTokenUrl = requireUrl(g.tokenUrl, 'graph.tokenUrl');
      // Its own cache: a Graph token is never sent to Partner Center, nor a Partner Center token to Graph.
      const graphTokens = new TokenCache({ tokenUrl: graphTokenUrl, scope: g.scope ?? DEFAULT_GRAPH_SCOPE, logName: 'graph', appId: options.appId, secret: options.secret, fetch: fetchFn, timeoutMs, retry, redactor, log, now });
      const graphTransport = new GraphTransport({ fetch: fetchFn, timeoutMs, retry, tokens: graphTokens, limiter, redactor, log, now, appId: options.appId, tenantId: tenantFromTokenUrl(graphTokenUrl) });
      this.graph = {
        transport: graphTransport,
        blob: { fetch: fetchFn, timeoutMs, redactor },
        settings: {
          graphBaseUrl,
          pollIntervalMs: positiveInt(g.pollIntervalMs ?? DEFAULT_GRAPH_POLL_INTERVAL_MS, 'graph.pollIntervalMs'),
          maxPollMs: positiveInt(g.maxPollMs ?? DEFAULT_GRAPH_MAX_POLL_MS, 'graph.maxPollMs'),
          maxExports: positiveInt(g.maxExports ?? DEFAULT_GRAPH_MAX_EXPORTS, 'graph.maxExports'),
          batchSize: positiveInt(g.batchSize ?? DEFAULT_GRAPH_BATCH_SIZE, 'graph.batchSize'),
        },
        retry,
        log,
        now,
      };
    }
  }

  /** True when the client was given `graph` options (the account's cloud has the Graph export). */
  get hasGraph(): boolean {
    return this.graph !== undefined;
  }

  /** Daily rated usage through the Graph export (§5.5), billed (an invoice) or unbilled (a period), in batches. */
  graphUsageExport(request: GraphExportRequest, options: GraphExportOptions = {}): AsyncGenerator<GraphBatch<DailyRatedUsageLineItem>, void, undefined> {
    const spec = { name: `usage/${request.kind}`, path: `/reports/partners/billing/usage/${request.kind}/export`, body: exportBody(request), schema: dailyRatedUsageLineItemSchema, mapper: usageFieldMapper() };
    return runGraphExport<DailyRatedUsageLineItem>(this.requireGraph(), spec as ExportSpec<DailyRatedUsageLineItem>, { ...options, correlationId: options.correlationId ?? randomUUID() });
  }

  /** New-commerce billing line items (reconciliation, §6) through the Graph export (§5.5), in batches. */
  graphReconciliationExport(request: GraphExportRequest, options: GraphExportOptions = {}): AsyncGenerator<GraphBatch<BillingLineItem>, void, undefined> {
    const spec = { name: `reconciliation/${request.kind}`, path: `/reports/partners/billing/reconciliation/${request.kind}/export`, body: exportBody(request), schema: billingLineItemSchema, mapper: reconciliationFieldMapper() };
    return runGraphExport<BillingLineItem>(this.requireGraph(), spec as ExportSpec<BillingLineItem>, { ...options, correlationId: options.correlationId ?? randomUUID() });
  }

  /**
   * Gets the Graph token and makes one cheap call that needs PartnerBilling.Read.All: a GET of an
   * export operation id that cannot exist. Graph checks the permission before looking the id up,
   * so 404 (or 400 for an id it does not like, or 200) means access is fine and 403 throws the
   * permission error (kind 'permission', description `grant PartnerBilling.Read.All (application)
   * to app … in tenant …`). Starting a real export instead would cost minutes of Microsoft's work
   * for a yes/no question.
   */
  async checkGraphAccess(options: CallOptions = {}): Promise<void> {
    const graph = this.requireGraph();
    const url = `${graph.settings.graphBaseUrl}/reports/partners/billing/operations/${randomUUID()}`;
    try {
      await graph.transport.request({ method: 'GET', url, correlationId: options.correlationId ?? randomUUID(), allow404: true });
    } catch (err) {
      if (err instanceof PartnerCenterError && err.kind === 'http' && err.status === 400) return;
      throw err;
    }
  }

  private requireGraph(): ExportContext {
    if (!this.graph) throw new TypeError('PartnerCenterClient: the Graph export needs the "graph" option (global-cloud accounts only)');
    return this.graph;
  }

  /** All customers, page by page (continuation paging, §3). */
  async *listCustomers(options: ListCustomersOptions = {}): AsyncGenerator<Page<Customer>, void, undefined> {
    const size = pageSize(options.pageSize ?? DEFAULT_CUSTOMER_PAGE_SIZE, 'pageSize');
    yield* this.pages(`/customers?size=${size}`, customerSchema, options.correlationId ?? randomUUID());
  }

  /** Unbilled daily rated usage of the current or previous period, page by page (§5.1). */
  async *unbilledUsage(options: UnbilledUsageOptions): AsyncGenerator<Page<DailyRatedUsageLineItem>, void, undefined> {
    if (!/^[A-Za-z]{3}$/.test(options.currency ?? '')) throw new TypeError('unbilledUsage: currency must be a 3-letter ISO 4217 code');
    if (options.period !== 'current' && options.period !== 'previous') throw new TypeError("unbilledUsage: period must be 'current' or 'previous'");
    const size = pageSize(options.pageSize ?? MAX_DAILY_RATED_USAGE_PAGE_SIZE, 'pageSize', MAX_DAILY_RATED_USAGE_PAGE_SIZE);
    const query = new URLSearchParams({
      provider: 'onetime',
      invoicelineitemtype: 'usagelineitems',
      currencycode: options.currency.toLowerCase(),
      period: options.period,
      size: String(size),
    });
    yield* this.pages(`/invoices/unbilled/lineitems?${query.toString()}`, dailyRatedUsageLineItemSchema, options.correlationId ?? randomUUID(), DAILY_RATED_USAGE_DECIMAL_KEYS);
  }

  /** Billed daily rated usage of one invoice, page by page (§5.2). Final amounts. */
  async *billedUsage(options: BilledUsageOptions): AsyncGenerator<Page<DailyRatedUsageLineItem>, void, undefined> {
    if (!/^[A-Za-z]{3}$/.test(options.currency ?? '')) throw new TypeError('billedUsage: currency must be a 3-letter ISO 4217 code');
    const size = pageSize(options.pageSize ?? MAX_DAILY_RATED_USAGE_PAGE_SIZE, 'pageSize', MAX_DAILY_RATED_USAGE_PAGE_SIZE);
    const query = new URLSearchParams({
      provider: 'onetime',
      invoicelineitemtype: 'usagelineitems',
      currencycode: options.currency.toLowerCase(),
      // The documented query carries a period even for one invoice; the invoice id selects the items.
      period: 'current',
      size: String(size),
    });
    const path = `/invoices/${segment(options.invoiceId, 'invoiceId')}/lineitems?${query.toString()}`;
    yield* this.pages(path, dailyRatedUsageLineItemSchema, options.correlationId ?? randomUUID(), DAILY_RATED_USAGE_DECIMAL_KEYS);
  }

  /** An invoice's new-commerce billing line items (the reconciliation file, §6), page by page. */
  async *billingLineItems(invoiceId: string, options: { pageSize?: number } & CallOptions = {}): AsyncGenerator<Page<BillingLineItem>, void, undefined> {
    const size = pageSize(options.pageSize ?? MAX_DAILY_RATED_USAGE_PAGE_SIZE, 'pageSize', MAX_DAILY_RATED_USAGE_PAGE_SIZE);
    const path = `/invoices/${segment(invoiceId, 'invoiceId')}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size=${size}`;
    yield* this.pages(path, billingLineItemSchema, options.correlationId ?? randomUUID(), BILLING_LINE_ITEM_DECIMAL_KEYS);
  }

  /** Invoices and credit notes, page by page (offset paging, §6). */
  async *listInvoices(options: { pageSize?: number } & CallOptions = {}): AsyncGenerator<Page<Invoice>, void, undefined> {
    const size = pageSize(options.pageSize ?? DEFAULT_INVOICE_PAGE_SIZE, 'pageSize');
    const correlationId = options.correlationId ?? randomUUID();
    let pageNumber = 0;
    const fetchEnvelope = (request: PageRequest) => this.fetchEnvelope(request, correlationId, INVOICE_DECIMAL_KEYS);
    for await (const envelope of offsetPages((offset, n) => `${this.apiRoot}/invoices?size=${n}&offset=${offset}`, size, fetchEnvelope)) {
      pageNumber += 1;
      yield validatePage(invoiceSchema, envelope.items, pageNumber);
    }
  }

  /** The account balance (§7): a single object, not a collection. */
  async invoiceSummary(options: CallOptions = {}): Promise<InvoiceSummary> {
    const correlationId = options.correlationId ?? randomUUID();
    const url = `${this.apiRoot}/invoices/summary`;
    const res = await this.transport.getJson({ url, headers: {}, correlationId, decimalKeys: INVOICE_DECIMAL_KEYS });
    const parsed = invoiceSummarySchema.safeParse(res.body);
    if (!parsed.success) {
      throw new PartnerCenterError({
        kind: 'invalid-response',
        status: 200,
        description: `not an invoice summary: ${formatIssues(parsed.error)}`,
        requestId: res.requestId,
        correlationId,
        method: 'GET',
        url,
        retryable: false,
      });
    }
    return parsed.data;
  }

  /** A customer's subscriptions (one response, §4). */
  async listSubscriptions(customerId: string, options: CallOptions = {}): Promise<Page<Subscription>> {
    const path = `/customers/${segment(customerId, 'customerId')}/subscriptions`;
    return this.single(path, subscriptionSchema, options.correlationId ?? randomUUID());
  }

  /** The Azure subscriptions under a customer's Azure plan (§4). */
  async listAzureEntitlements(customerId: string, planId: string, options: CallOptions = {}): Promise<Page<AzureEntitlement>> {
    const path = `/customers/${segment(customerId, 'customerId')}/subscriptions/${segment(planId, 'planId')}/azureEntitlements`;
    return this.single(path, azureEntitlementSchema, options.correlationId ?? randomUUID());
  }

  /**
   * The Azure rate card of legacy Azure offers (§8.1), optionally in a currency and for a market
   * (both default to the partner profile's). Meters are validated one by one: a malformed meter is
   * returned under `invalid` with its reason, never failing the card.
   */
  async rateCard(currency?: string, region?: string, options: CallOptions = {}): Promise<RateCard> {
    if (currency !== undefined && !/^[A-Za-z]{3}$/.test(currency)) throw new TypeError('rateCard: currency must be a 3-letter ISO 4217 code');
    if (region !== undefined && !/^[A-Za-z]{2}$/.test(region)) throw new TypeError('rateCard: region must be a two-letter market code');
    const query = new URLSearchParams({ ...(currency ? { currency: currency.toUpperCase() } : {}), ...(region ? { region: region.toUpperCase() } : {}) }).toString();
    const correlationId = options.correlationId ?? randomUUID();
    const url = `${this.apiRoot}/ratecards/azure${query ? `?${query}` : ''}`;
    const res = await this.transport.getJson({ url, headers: {}, correlationId, decimalKeys: RATE_CARD_DECIMAL_KEYS, rewrite: quoteRateValues });
    const parsed = rateCardEnvelopeSchema.safeParse(res.body);
    if (!parsed.success) {
      throw new PartnerCenterError({
        kind: 'invalid-response',
        status: 200,
        description: `not an Azure rate card: ${formatIssues(parsed.error)}`,
        requestId: res.requestId,
        correlationId,
        method: 'GET',
        url,
        retryable: false,
      });
    }
    const { items, invalid } = validatePage(rateCardMeterSchema, parsed.data.meters, 1);
    return { locale: parsed.data.locale, currency: parsed.data.currency.toUpperCase(), isTaxIncluded: parsed.data.isTaxIncluded, meters: items, invalid };
  }

  /** Utilization records of a legacy Azure subscription, page by page (§5.5, continuation paging). */
  async *utilizationRecords(options: UtilizationOptions): AsyncGenerator<Page<UtilizationRecord>, void, undefined> {
    for (const key of ['startTime', 'endTime'] as const) {
      if (Number.isNaN(Date.parse(options[key] ?? ''))) throw new TypeError(`utilizationRecords: ${key} must be an ISO 8601 date-time`);
    }
    const size = pageSize(options.pageSize ?? MAX_UTILIZATION_PAGE_SIZE, 'pageSize', MAX_UTILIZATION_PAGE_SIZE);
    const query = new URLSearchParams({
      start_time: options.startTime,
      end_time: options.endTime,
      granularity: options.granularity ?? 'daily',
      show_details: String(options.showDetails ?? true),
      size: String(size),
    });
    const path = `/customers/${segment(options.customerId, 'customerId')}/subscriptions/${segment(options.subscriptionId, 'subscriptionId')}/utilizations/azure?${query.toString()}`;
    yield* this.pages(path, utilizationRecordSchema, options.correlationId ?? randomUUID(), UTILIZATION_DECIMAL_KEYS);
  }

  private async single<S extends z.ZodType>(path: string, schema: S, correlationId: string): Promise<Page<z.output<S>>> {
    const envelope = await this.fetchEnvelope({ url: this.apiRoot + path, headers: {} }, correlationId);
    return validatePage(schema, envelope.items, 1);
  }

  private async *pages<S extends z.ZodType>(path: string, schema: S, correlationId: string, decimalKeys: readonly string[] = []): AsyncGenerator<Page<z.output<S>>, void, undefined> {
    let pageNumber = 0;
    const fetchEnvelope = (request: PageRequest) => this.fetchEnvelope(request, correlationId, decimalKeys);
    for await (const envelope of continuationPages({ url: this.apiRoot + path, headers: {} }, fetchEnvelope, this.apiRoot)) {
      pageNumber += 1;
      yield validatePage(schema, envelope.items, pageNumber);
    }
  }

  private async fetchEnvelope(request: PageRequest, correlationId: string, decimalKeys: readonly string[] = []): Promise<CollectionEnvelope> {
    const res = await this.transport.getJson({ url: request.url, headers: request.headers, correlationId, decimalKeys });
    const parsed = collectionEnvelopeSchema.safeParse(res.body);
    if (!parsed.success) {
      throw new PartnerCenterError({
        kind: 'invalid-response',
        status: 200,
        description: `not a collection envelope: ${formatIssues(parsed.error)}`,
        requestId: res.requestId,
        correlationId,
        method: 'GET',
        url: request.url,
        retryable: false,
      });
    }
    return parsed.data;
  }
}

function requireUrl(value: string, name: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error();
    return value;
  } catch {
    throw new TypeError(`PartnerCenterClient: option "${name}" must be an http(s) URL`);
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`PartnerCenterClient: option "${name}" must be a positive integer`);
  return value;
}

/** The §5.5 request body; Meridian always asks for the `full` attribute set (`basic` lacks meter category and region). */
function exportBody(request: GraphExportRequest): Record<string, string> {
  if (request.kind === 'billed') return { invoiceId: segmentValue(request.invoiceId, 'invoiceId'), attributeSet: 'full' };
  if (request.kind === 'unbilled') {
    if (!/^[A-Za-z]{3}$/.test(request.currency ?? '')) throw new TypeError('graph export: currency must be a 3-letter ISO 4217 code');
    if (request.period !== 'current' && request.period !== 'last') throw new TypeError("graph export: period must be 'current' or 'last'");
    return { currencyCode: request.currency.toUpperCase(), billingPeriod: request.period, attributeSet: 'full' };
  }
  throw new TypeError("graph export: request.kind must be 'billed' or 'unbilled'");
}

function segmentValue(value: string, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${name} is required`);
  return value;
}

function nonNegativeInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`PartnerCenterClient: option "${name}" must be a non-negative integer`);
  return value;
}

function pageSize(value: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new RangeError(`${name} must be an integer between 1 and ${max}`);
  return value;
}

function segment(value: string, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${name} is required`);
  return encodeURIComponent(value);
}
