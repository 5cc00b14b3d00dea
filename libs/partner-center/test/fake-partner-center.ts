/**
 * A tiny Partner Center stand-in for specs: real HTTP on 127.0.0.1 (node:http), canned responses
 * shaped like /work/shared/partner-center-api.md, and a record of every request received.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path + query as received. */
  url: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Canned {
  status?: number;
  headers?: Record<string, string>;
  /** Serialised with JSON.stringify. */
  json?: unknown;
  /** Sent verbatim (use for exact-decimal or truncated bodies). */
  raw?: string;
  /** Never answer (client timeout); the socket is closed when the server stops. */
  hang?: boolean;
  /** Announce the full length, send only part of the body, then cut the connection. */
  cutAfterBytes?: number;
}

export type Responder = Canned | ((req: RecordedRequest) => Canned);

export const PARTNER_TENANT = '11111111-2222-3333-4444-555555555555';

export class FakePartnerCenter {
  readonly requests: RecordedRequest[] = [];
  readonly tokenRequests: RecordedRequest[] = [];
  /** Tokens the API accepts; a revoked token gets 401. */
  readonly issuedTokens: string[] = [];
  readonly revokedTokens = new Set<string>();
  /** Queue of token endpoint answers; when empty a fresh token is issued. */
  readonly tokenQueue: Canned[] = [];
  tokenExpiresIn: string | number = '3599';
  /** When set, the API answers 401 to every token (e.g. the app lost its consent). */
  rejectAllTokens = false;
  private readonly routes = new Map<string, Responder[]>();
  private server?: Server;
  private origin = '';

  get baseUrl(): string {
    return this.origin;
  }

  get tokenUrl(): string {
    return `${this.origin}/${PARTNER_TENANT}/oauth2/token`;
  }

  /** API requests only (token requests are in tokenRequests). */
  apiRequests(pathname?: string): RecordedRequest[] {
    return pathname ? this.requests.filter((r) => r.pathname === pathname) : this.requests;
  }

  /**
   * Answers for `pathname` (e.g. `/v1/customers`), used in order; the last one repeats.
   */
  on(pathname: string, ...responders: Responder[]): this {
    this.routes.set(pathname, responders);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          pathname: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.handle(recorded, res);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: RecordedRequest, res: ServerResponse): void {
    if (req.pathname === `/${PARTNER_TENANT}/oauth2/token`) {
      this.tokenRequests.push(req);
      const queued = this.tokenQueue.shift();
      if (queued) return send(res, queued);
      const token = `eyJ0eXAi.fake-access-token-${this.issuedTokens.length + 1}.sig`;
      this.issuedTokens.push(token);
      return send(res, { json: { token_type: 'Bearer', expires_in: this.tokenExpiresIn, ext_expires_in: this.tokenExpiresIn, access_token: token } });
    }
    this.requests.push(req);
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (this.rejectAllTokens || !bearer || !this.issuedTokens.includes(bearer) || this.revokedTokens.has(bearer)) {
      return send(res, { status: 401, json: { code: 900401, description: 'Unauthorized: token is invalid or expired', data: [], source: 'PartnerFD' } });
    }
    const responders = this.routes.get(req.pathname);
    if (!responders || responders.length === 0) {
      return send(res, { status: 404, json: { code: 3000, description: `${req.pathname} could not be found`, data: [], source: 'PartnerFD' } });
    }
    const responder = responders.length > 1 ? responders.shift()! : responders[0]!;
    send(res, typeof responder === 'function' ? responder(req) : responder);
  }
}

function send(res: ServerResponse, canned: Canned): void {
  if (canned.hang) return;
  const body = canned.raw ?? (canned.json === undefined ? '' : JSON.stringify(canned.json));
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(canned.status ?? 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(bytes.length), ...canned.headers });
  if (canned.cutAfterBytes !== undefined) {
    res.write(bytes.subarray(0, canned.cutAfterBytes));
    setTimeout(() => res.destroy(), 10);
    return;
  }
  res.end(bytes);
}

/** Collection envelope as documented in §2. */
export function collection(items: unknown[], selfUri: string, next?: { uri: string; token: string }): Record<string, unknown> {
  return {
    totalCount: items.length,
    items,
    links: {
      self: { uri: selfUri, method: 'GET', headers: [] },
      ...(next ? { next: { uri: next.uri, method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: next.token }] } } : {}),
    },
    attributes: { objectType: 'Collection' },
  };
}

export function customer(n: number): Record<string, unknown> {
  const id = `2bb0c2b4-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    commerceId: `c0mmerce-${n}`,
    companyProfile: { tenantId: id, domain: `customer${n}.onmicrosoft.com`, companyName: `Customer ${n}` },
    billingProfile: {
      culture: 'en-US',
      language: 'en',
      companyName: `Customer ${n}`,
      email: `billing@customer${n}.example`,
      defaultAddress: { country: 'US', city: 'Redmond', state: 'WA' },
    },
    relationshipToPartner: 'reseller',
    allowDelegatedAccess: true,
    associatedPartnerId: null,
    attributes: { objectType: 'Customer' },
  };
}

export function subscription(id: string): Record<string, unknown> {
  return {
    id,
    entitlementId: `ent-${id}`,
    offerId: 'DZH318Z0BCZC:0001',
    offerName: 'Azure plan',
    friendlyName: 'Azure plan',
    quantity: 1,
    unitType: 'Usage-based',
    status: 'active',
    creationDate: '2024-01-10T00:00:00Z',
    effectiveStartDate: '2024-01-10T00:00:00Z',
    commitmentEndDate: '9999-12-14T00:00:00Z',
    autoRenewEnabled: false,
    billingType: 'usage',
    billingCycle: 'monthly',
    contractType: 'subscription',
    orderId: `order-${id}`,
    attributes: { objectType: 'Subscription' },
  };
}

/**
 * A daily rated usage line item as JSON text. Amounts are inserted verbatim as JSON numbers so a
 * spec can send more digits than a double holds.
 */
export function usageLineItemJson(overrides: Record<string, string> = {}, omit: string[] = []): string {
  const numbers: Record<string, string> = {
    unitPrice: '0.096',
    quantity: '24',
    billingPreTaxTotal: '2.04',
    pricingPreTaxTotal: '2.304',
    pcToBCExchangeRate: '0.8854',
    effectiveUnitPrice: '0.085',
    rateOfPartnerEarnedCredit: '0.15',
    rateOfCredit: '0',
  };
  const strings: Record<string, unknown> = {
    partnerId: '2b8940db-0000-4000-8000-000000000001', partnerName: '', customerId: '2bb0c2b4-0000-4000-8000-000000000001',
    customerName: 'Contoso', customerDomainName: 'contoso.onmicrosoft.com', customerCountry: 'US', invoiceNumber: '',
    mpnId: '1234567', resellerMpnId: '', productId: 'DZH318Z0BCZC', skuId: '0001', availabilityId: 'DZH318Z0BXWC',
    skuName: 'Azure plan', productName: 'Azure plan', publisherName: 'Microsoft', publisherId: '',
    subscriptionId: 'a1b2c3d4-0000-4000-8000-000000000001', subscriptionDescription: 'Azure plan',
    chargeStartDate: '2026-10-01T00:00:00Z', chargeEndDate: '2026-11-01T00:00:00Z', usageDate: '2026-10-13T00:00:00Z',
    meterType: '1 Compute Hour', meterCategory: 'Virtual Machines', meterId: '9e2739d4-0000-4000-8000-000000000001',
    meterSubCategory: 'Dv3/DSv3 Series', meterName: 'D2 v3/D2s v3', meterRegion: 'EU West', unitOfMeasure: '1 Hour',
    resourceLocation: 'westeurope', consumedService: 'Microsoft.Compute', resourceGroup: 'rg-web',
    resourceUri: '/subscriptions/0000/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web01',
    tags: '{"env":"prod","unitPrice":1.5}', additionalInfo: '{"ServiceType":"Standard_D2s_v3"}', serviceInfo1: '', serviceInfo2: '',
    chargeType: 'new', unitType: '1 Hour', billingCurrency: 'EUR', pricingCurrency: 'USD',
    entitlementId: 'e0e0e0e0-0000-4000-8000-000000000001', entitlementDescription: 'Production',
    pcToBCExchangeRateDate: '2026-10-01T00:00:00Z', creditType: 'Partner Earned Credit Applied', hasPartnerEarnedCredit: true,
    benefitOrderId: '', benefitId: '', benefitType: '', invoiceLineItemType: 'usage_line_items', billingProvider: 'marketplace',
  };
  const parts: string[] = [];
  for (const [k, v] of Object.entries(strings)) if (!omit.includes(k)) parts.push(`${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  for (const [k, v] of Object.entries({ ...numbers, ...overrides })) if (!omit.includes(k)) parts.push(`${JSON.stringify(k)}: ${v}`);
  parts.push('"attributes": {"objectType": "DailyRatedUsageLineItem"}');
  return `{ ${parts.join(', ')} }`;
}

/** Collection envelope text around raw item JSON texts. */
export function rawCollection(itemJsons: string[], next?: { uri: string; token: string }): string {
  const links = next
    ? `{"self": {"uri": "/x", "method": "GET", "headers": []}, "next": {"uri": ${JSON.stringify(next.uri)}, "method": "GET", "headers": [{"key": "MS-ContinuationToken", "value": ${JSON.stringify(next.token)}}]}}`
    : '{"self": {"uri": "/x", "method": "GET", "headers": []}}';
  return `{"totalCount": ${itemJsons.length}, "items": [${itemJsons.join(',\n')}], "links": ${links}, "attributes": {"objectType": "Collection"}}`;
}
