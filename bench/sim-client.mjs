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
