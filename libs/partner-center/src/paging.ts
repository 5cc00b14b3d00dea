/**
 * The two Partner Center paging styles (partner-center-api.md §2), yielding raw collection
 * envelopes one page at a time (nothing is buffered).
 *
 * - continuation: request `size`, then follow `links.next.uri` (relative to `{base}/v1`) sending each
 *   `links.next.headers` entry (e.g. `MS-ContinuationToken`) until `links.next` is absent.
 * - offset: `size` + `offset`, until a short page or `totalCount` is reached.
 */
import { z } from 'zod';

const linkSchema = z.object({
  uri: z.string().min(1),
  method: z.string().optional(),
  headers: z.array(z.object({ key: z.string().min(1), value: z.string() })).nullish(),
});

/** Collection envelope; items stay `unknown` and are validated one by one by the caller. */
export const collectionEnvelopeSchema = z.object({
  totalCount: z.number().int().nonnegative().optional(),
  items: z.array(z.unknown()),
  links: z.object({ self: linkSchema.nullish(), next: linkSchema.nullish() }).nullish(),
  continuationToken: z.string().nullish(),
});
export type CollectionEnvelope = z.infer<typeof collectionEnvelopeSchema>;

export interface PageRequest {
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
}

/** Fetches and envelope-validates one page. */
export type FetchEnvelope = (request: PageRequest) => Promise<CollectionEnvelope>;

/**
 * Resolves a `links.next.uri` against the API root `{baseUrl}/v1`. Absolute links are only
 * followed on the API's own origin, so the bearer token is never sent elsewhere.
 */
export function resolveNextUri(apiRoot: string, uri: string): string {
  if (/^https?:\/\//i.test(uri)) {
    if (new URL(uri).origin !== new URL(apiRoot).origin) {
      throw new Error(`links.next points to a foreign origin: ${new URL(uri).origin}`);
    }
    return uri;
  }
  return `${apiRoot.replace(/\/+$/, '')}/${uri.replace(/^\/+/, '')}`;
}

export async function* continuationPages(first: PageRequest, fetchEnvelope: FetchEnvelope, apiRoot: string): AsyncGenerator<CollectionEnvelope> {
  let request: PageRequest | undefined = first;
  let previousKey = '';
  while (request) {
    const envelope = await fetchEnvelope(request);
    yield envelope;
    const next = envelope.links?.next;
    if (!next) return;
    const headers: Record<string, string> = {};
    for (const { key, value } of next.headers ?? []) headers[key] = value;
    request = { url: resolveNextUri(apiRoot, next.uri), headers };
    // A server handing out the same link again would loop forever.
    const key = JSON.stringify(request);
    if (key === previousKey) throw new Error(`continuation link repeats itself: ${next.uri}`);
    previousKey = key;
  }
}

export async function* offsetPages(buildUrl: (offset: number, size: number) => string, size: number, fetchEnvelope: FetchEnvelope): AsyncGenerator<CollectionEnvelope> {
  for (let offset = 0; ; ) {
    const envelope = await fetchEnvelope({ url: buildUrl(offset, size), headers: {} });
    yield envelope;
    offset += envelope.items.length;
    if (envelope.items.length < size || envelope.items.length === 0) return;
    if (envelope.totalCount !== undefined && offset >= envelope.totalCount) return;
  }
}
