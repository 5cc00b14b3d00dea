/**
 * A tiny Microsoft Graph billing export + blob storage stand-in for specs (real HTTP on 127.0.0.1):
 * v2 token endpoint, export POST → operation → manifest (inline or by navigation link), and blobs
 * behind a SAS whose signature the fake can expire. Shaped like partner-center-api.md §5.5 and
 * decision 0015; independent of apps/pc-sim on purpose.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export const GRAPH_TENANT = '99999999-8888-7777-6666-555555555555';
const OPS = '/v1.0/reports/partners/billing/operations/';
const MANIFESTS = '/v1.0/reports/partners/billing/manifests/';
const BLOB_ROOT = '/blob/billedusagefastpath/v1/PartnerTenantId=t/Fragment=full';

export interface GraphRecorded {
  method: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What a blob GET answers. */
export type BlobAnswer =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; code?: string }
  /** Announce the full length, send this many bytes, cut the connection. */
  | { kind: 'cut'; afterBytes: number }
  /** A complete response whose body is the gzip cut short (a truncated file). */
  | { kind: 'truncated'; bytes: number };

/** What a poll answers: a JSON body and headers; undefined → the default (succeeded). */
export interface OperationAnswer {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
}

export interface OperationContext {
  id: string;
  /** 1-based poll number of this operation. */
  poll: number;
  /** 1-based number of the export this operation belongs to. */
  exportNumber: number;
  fake: FakeGraph;
}

export type BlobBody = Buffer | ((res: ServerResponse) => void);

export class FakeGraph {
  readonly requests: GraphRecorded[] = [];
  readonly tokenRequests: GraphRecorded[] = [];
  readonly exportRequests: GraphRecorded[] = [];
  readonly issuedTokens: string[] = [];
  /** Blob name → gzip bytes (or a writer that streams it). */
  readonly blobs = new Map<string, BlobBody>();
  /** Blob GETs per name. */
  readonly blobGets = new Map<string, number>();
  eTag: string | null = 'etag-1';
  manifestMode: 'inline' | 'link' = 'inline';
  successStatus: 'succeeded' | 'completed' = 'succeeded';
  /** Retry-After (seconds) on the 202 of an export POST. */
  exportRetryAfter?: string;
  /** Without PartnerBilling.Read.All every Graph call is 403. */
  hasPermission = true;
  /** Signatures storage accepts; every operation/manifest read mints a new one. */
  readonly validSigs = new Set<string>();
  onOperation?: (ctx: OperationContext) => OperationAnswer | undefined;
  onBlob?: (name: string, attempt: number, sig: string) => BlobAnswer;
  /**
   * Blobs held by real storage (e.g. Azurite) instead of this fake: the manifest then points at
   * `rootDirectory` and carries `sas(n)` for its n-th (1-based) minting.
   */
  storage?: { rootDirectory: string; blobNames: string[]; sas: (mint: number) => string };
  private sigCounter = 0;
  private readonly operations = new Map<string, { polls: number; exportNumber: number }>();
  private server?: Server;
  private origin = '';

  get baseUrl(): string {
    return `${this.origin}/v1.0`;
  }

  get tokenUrl(): string {
    return `${this.origin}/login/global/${GRAPH_TENANT}/oauth2/v2.0/token`;
  }

  get operationCount(): number {
    return this.operations.size;
  }

  /** Adds gzip JSON-lines blobs from line texts. */
  setBlobs(blobs: Record<string, string>): this {
    this.blobs.clear();
    for (const [name, text] of Object.entries(blobs)) this.blobs.set(name, gzipSync(Buffer.from(text, 'utf8')));
    return this;
  }

  /** Storage stops accepting every SAS minted so far (they "expire"). */
  expireAllSas(): void {
    this.validSigs.clear();
  }

  mintSas(): string {
    this.sigCounter += 1;
    const sig = `c2lnbmF0dXJl${this.sigCounter}=`;
    this.validSigs.add(sig);
    return `skoid=abc&sv=2021-08-06&se=2026-11-02T09%3A00%3A05Z&sr=d&sp=rl&sig=${encodeURIComponent(sig)}`;
  }

  manifest(): Record<string, unknown> {
    const storage = this.storage;
    return {
      id: 'manifest-1',
      createdDateTime: '2026-11-02T08:00:05',
      schemaVersion: '2',
      dataFormat: 'compressedJSON',
      partitionType: 'default',
      eTag: this.eTag,
      partnerTenantId: GRAPH_TENANT,
      rootDirectory: storage ? storage.rootDirectory : `${this.origin}${BLOB_ROOT}`,
      sasToken: storage ? storage.sas(++this.sigCounter) : this.mintSas(),
      blobCount: storage ? storage.blobNames.length : this.blobs.size,
      blobs: (storage ? storage.blobNames : [...this.blobs.keys()]).map((name) => ({ name, partitionValue: 'default' })),
    };
  }

  succeeded(id: string): Record<string, unknown> {
    const base = { '@odata.type': '#microsoft.graph.partners.billing.exportSuccessOperation', id, createdDateTime: '2026-11-02T08:00:00', lastActionDateTime: '2026-11-02T08:00:05Z', status: this.successStatus };
    return this.manifestMode === 'inline'
      ? { ...base, resourceLocation: this.manifest() }
      : { ...base, 'resourceLocation@odata.navigationLink': `${this.origin}${MANIFESTS}manifest-1` };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        this.handle({ method: req.method ?? 'GET', pathname: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }, res);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: GraphRecorded, res: ServerResponse): void {
    if (req.pathname === `/login/global/${GRAPH_TENANT}/oauth2/v2.0/token`) {
      this.tokenRequests.push(req);
      const token = `eyJncmFwaCI.graph-token-${this.issuedTokens.length + 1}.sig`;
      this.issuedTokens.push(token);
      return json(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: token });
    }
    if (req.pathname.startsWith('/blob/')) return this.blob(req, res);
    this.requests.push(req);
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!bearer || !this.issuedTokens.includes(bearer)) return json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } });
    if (!this.hasPermission) {
      return json(res, 403, { error: { code: 'Forbidden', message: 'Missing role permissions on the request. API requires one of PartnerBilling.Read.All.' } });
    }
    if (req.method === 'POST' && /^\/v1\.0\/reports\/partners\/billing\/(usage|reconciliation)\/(billed|unbilled)\/export$/.test(req.pathname)) {
      this.exportRequests.push(req);
      const id = `op-${this.operations.size + 1}`;
      this.operations.set(id, { polls: 0, exportNumber: this.operations.size + 1 });
      res.writeHead(202, { Location: `${this.origin}${OPS}${id}`, 'Content-Length': '0', ...(this.exportRetryAfter ? { 'Retry-After': this.exportRetryAfter } : {}) });
      return void res.end();
    }
    if (req.method === 'GET' && req.pathname.startsWith(OPS)) {
      const id = decodeURIComponent(req.pathname.slice(OPS.length));
      const op = this.operations.get(id);
      if (!op) return json(res, 404, { error: { code: 'NotFound', message: `operation ${id} not found` } });
      op.polls += 1;
      const answer = this.onOperation?.({ id, poll: op.polls, exportNumber: op.exportNumber, fake: this });
      if (answer) return json(res, answer.status ?? 200, answer.json ?? this.succeeded(id), answer.headers);
      return json(res, 200, this.succeeded(id));
    }
    if (req.method === 'GET' && req.pathname.startsWith(MANIFESTS)) return json(res, 200, this.manifest());
    return json(res, 404, { error: { code: 'NotFound', message: req.pathname } });
  }

  private blob(req: GraphRecorded, res: ServerResponse): void {
    const name = decodeURIComponent(req.pathname.slice(BLOB_ROOT.length + 1));
    const attempt = (this.blobGets.get(name) ?? 0) + 1;
    this.blobGets.set(name, attempt);
    const sig = req.query.get('sig') ?? '';
    if (req.headers.authorization) return storageError(res, 400, 'InvalidAuthenticationInfo');
    if (!this.validSigs.has(sig)) return storageError(res, 403, 'AuthenticationFailed');
    const body = this.blobs.get(name);
    if (body === undefined) return storageError(res, 404, 'BlobNotFound');
    const answer = this.onBlob?.(name, attempt, sig) ?? { kind: 'ok' };
    if (answer.kind === 'status') return storageError(res, answer.status, answer.code ?? 'ServerBusy');
    if (typeof body === 'function') return body(res);
    if (answer.kind === 'truncated') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(answer.bytes) });
      return void res.end(body.subarray(0, answer.bytes));
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) });
    if (answer.kind === 'cut') {
      res.write(body.subarray(0, answer.afterBytes));
      setTimeout(() => res.destroy(), 10);
      return;
    }
    res.end(body);
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(bytes.length), ...headers });
  res.end(bytes);
}

function storageError(res: ServerResponse, status: number, code: string): void {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>Server failed to authenticate the request.</Message></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'x-ms-error-code': code, 'Content-Length': String(Buffer.byteLength(xml)) });
  res.end(xml);
}

/** The §5.5 sample usage line (PascalCase), with overrides; `n` makes ResourceURI and MeterId unique. */
export function graphUsageLine(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    PartnerId: '3f1c0000-0000-4000-8000-000000000001', PartnerName: 'Fabrikam CSP', CustomerId: '7d2e0000-0000-4000-8000-000000000001', CustomerName: 'Contoso Ltd',
    CustomerDomainName: 'contoso.onmicrosoft.com', CustomerCountry: 'GB', MpnId: '1234567', Tier2MpnId: '', InvoiceNumber: '', ProductId: 'DZH318Z0BQ5S',
    SkuId: '004C', AvailabilityId: 'DZH318Z0BXWC', SkuName: 'D2s v3', ProductName: 'Virtual Machines Dv3 Series', PublisherName: 'Microsoft', PublisherId: '',
    SubscriptionDescription: 'Azure plan', SubscriptionId: '9a8b0000-0000-4000-8000-000000000001', ChargeStartDate: '2026-11-01T00:00:00Z', ChargeEndDate: '2026-11-30T00:00:00Z',
    UsageDate: '2026-11-17T00:00:00Z', MeterType: '1 Compute Hour', MeterCategory: 'Virtual Machines', MeterId: `2e1c0000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    MeterSubCategory: 'Dv3/DSv3 Series', MeterName: 'D2s v3', MeterRegion: 'UK South', Unit: '1 Hour', ResourceLocation: 'uksouth', ConsumedService: 'Microsoft.Compute',
    ResourceGroup: 'rg-web', ResourceURI: `/subscriptions/0c1d/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm${n}`, ChargeType: 'new',
    UnitPrice: 0.115, Quantity: 24, UnitType: '1 Hour', BillingPreTaxTotal: 2.2, BillingCurrency: 'GBP', PricingPreTaxTotal: 2.76, PricingCurrency: 'USD',
    ServiceInfo1: '', ServiceInfo2: '', Tags: '{"env":"prod"}', AdditionalInfo: '{"ImageType":"Canonical"}', EffectiveUnitPrice: 0.115, PCToBCExchangeRate: 0.7971,
    PCToBCExchangeRateDate: '2026-11-01T00:00:00Z', EntitlementId: '0c1d0000-0000-4000-8000-000000000001', EntitlementDescription: 'Production',
    PartnerEarnedCreditPercentage: 0, CreditPercentage: 0, CreditType: 'Credit Not Applied', BenefitOrderId: '', BenefitId: '', BenefitType: '',
    ...overrides,
  };
}

/** `count` unique usage lines starting at `from`, as JSON-lines text. */
export function usageLines(from: number, count: number): string {
  const out: string[] = [];
  for (let n = from; n < from + count; n++) out.push(JSON.stringify(graphUsageLine(n)));
  return `${out.join('\n')}\n`;
}
