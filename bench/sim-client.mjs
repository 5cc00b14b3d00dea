// What the benchmarks need of the Partner Center simulator as a raw client (plain fetch, no
// Meridian code): an account's token and the continuation paging of its unbilled daily usage.

/** The simulator's account `id` and an app-only access token for it. */
export async function simAccount(simUrl, id) {
  const acct = (await (await fetch(`${simUrl}/_sim/accounts`)).json()).items.find((a) => a.id === id);
  const tok = await fetch(acct.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: acct.appId, client_secret: acct.secret, resource: acct.resource }),
  });
  return { acct, token: (await tok.json()).access_token };
}

/** The first page of an unbilled usage period. */
export function unbilledUsageRequest(acct, period, size) {
  const url = `${acct.baseUrl}/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=${acct.currency.toLowerCase()}&period=${period}&size=${size}`;
  return { url, headers: {} };
}

/** The request for the page after `page` (its links.next with the continuation header), or null. */
export function nextPageRequest(acct, page) {
  const l = page.links.next;
  return l ? { url: `${acct.baseUrl}/v1${l.uri}`, headers: Object.fromEntries(l.headers.map((h) => [h.key, h.value])) } : null;
}

/**
 * Runs one Graph unbilled-usage export of account `id` as a raw client (token with the Graph scope,
 * POST export, poll the operation, GET every blob of the manifest) and returns the compressed bytes
 * read: the warm-up that renders the export's blobs into the simulator's page cache.
 */
export async function readGraphExport(simUrl, id, period) {
  const acct = (await (await fetch(`${simUrl}/_sim/accounts`)).json()).items.find((a) => a.id === id);
  const tok = await fetch(acct.graphTokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: acct.appId, client_secret: acct.secret, scope: 'https://graph.microsoft.com/.default' }),
  });
  const auth = { Authorization: `Bearer ${(await tok.json()).access_token}` };
  const started = await fetch(`${acct.graphBaseUrl}/reports/partners/billing/usage/unbilled/export`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ currencyCode: acct.currency, billingPeriod: period, attributeSet: 'full' }),
  });
  if (started.status !== 202) throw new Error(`Graph export: ${started.status} ${await started.text()}`);
  const location = started.headers.get('location');
  for (;;) {
    const op = await (await fetch(location, { headers: auth })).json();
    if (op.status === 'failed') return 0;
    if (op.status === 'succeeded' || op.status === 'completed') {
      const m = op.resourceLocation ?? (await (await fetch(op['resourceLocation@odata.navigationLink'], { headers: auth })).json());
      let bytes = 0;
      for (const b of m.blobs) {
        const r = await fetch(`${m.rootDirectory}/${b.name}?${m.sasToken}`);
        if (!r.ok) throw new Error(`blob ${b.name}: ${r.status}`);
        // Streamed and dropped: holding a whole blob here would inflate this process, and with it
        // what the worker it spawns next inherits as its ru_maxrss.
        for await (const chunk of r.body) bytes += chunk.byteLength;
      }
      return bytes;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
