/**
 * Whole GraphQL responses, kept only as long as every order answer they
 * were built from: a repeated query is answered without Apollo's pipeline,
 * and never differs from what executing it again would give.
 *
 * - Key: the account, the `Accept` header (it picks the response's content
 *   type) and the body exactly as received (query, operation name and
 *   variables: any difference is another entry).
 * - Kept: a 200 whose cache-control Apollo computed as `max-age=N, public`
 *   with N >= 1 (so no errors, no stale answer, no private field), built
 *   from orders that each came from a cache entry (`OrderLoader.held()`).
 *   Never: an inline trace request (ftv1, per request by nature), a request
 *   that loaded no order (nothing to bound its life), an incremental body.
 * - Served: only while each of those entries is still the one the store
 *   holds (not expired, evicted or replaced by a newer answer) with at
 *   least a second left; the max-age is recomputed from the shortest, as
 *   Apollo's cache-control plugin would compute it then.
 *
 * Bounded in bytes (RESPONSE_CACHE_MAX_BYTES, 0 turns it off); an entry
 * whose orders are gone is dropped when next asked for, or pushed out.
 */
import type { IncomingMessage } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import type { HeldAnswer } from '../sectigo/answer.js';

export interface CachedResponse {
  readonly body: string;
  /** Apollo's response headers but cache-control and content-length. */
  readonly headers: Readonly<Record<string, string>>;
  /** Apollo's max-age when it was kept. */
  readonly maxAge: number;
  readonly held: readonly HeldAnswer[];
  readonly operationName: string | null;
}

export interface ResponseCacheHit {
  readonly response: CachedResponse;
  /** Seconds, as Apollo would say now. */
  readonly maxAge: number;
  /** Every header to send, cache-control with that max-age and content-length included. */
  readonly headers: Readonly<Record<string, string>>;
}

/** An entry, with the headers of its last hit: max-age changes once a second, not once a request. */
interface Entry {
  readonly response: CachedResponse;
  readonly bodyBytes: string;
  lastMaxAge: number;
  lastHeaders: Readonly<Record<string, string>>;
}

export type ResponseCacheResult = 'hit' | 'miss' | 'expired';

export interface ResponseCacheOptions {
  readonly maxBytes: number;
  /** From `accountKey()`: never the password. */
  readonly accountKey: string;
  /** How much longer the store serves an entry (OrderStore.heldForMs). */
  readonly heldForMs: (held: HeldAnswer) => number;
  readonly onLookup?: (result: ResponseCacheResult) => void;
}

export interface ResponseCache {
  /** The key of a request that may be served from the cache, or undefined. */
  keyOf(req: IncomingMessage, text: string, body: unknown): string | undefined;
  get(key: string): ResponseCacheHit | undefined;
  /** Keeps Apollo's answer if it may be kept. */
  offer(key: string, response: HTTPGraphQLResponse, held: readonly HeldAnswer[] | undefined, operationName: string | null): void;
  stats(): { readonly entries: number; readonly bytes: number };
}

const PUBLIC_MAX_AGE = /^max-age=(\d+), public$/;
const TRACE_HEADER = 'apollo-federation-include-trace';

export function createResponseCache(options: ResponseCacheOptions): ResponseCache | undefined {
  if (options.maxBytes <= 0) return undefined;
  const entries = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    // UTF-16 strings: two bytes a character, plus the object and its headers.
    sizeCalculation: (value, key) => 2 * (key.length + value.response.body.length) + 1024 + 64 * value.response.held.length,
  });
  const prefix = `${options.accountKey}\n`;

  return {
    keyOf(req, text, body) {
      if (req.method !== 'POST' || req.headers[TRACE_HEADER] !== undefined) return undefined;
      if (typeof body !== 'object' || body === null || typeof (body as { query?: unknown }).query !== 'string') return undefined;
      return `${prefix}${req.headers.accept ?? ''}\n${text}`;
    },
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) {
        options.onLookup?.('miss');
        return undefined;
      }
      const { response } = entry;
      let shortest = Infinity;
      for (const held of response.held) shortest = Math.min(shortest, options.heldForMs(held));
      const maxAge = Math.min(response.maxAge, Math.floor(shortest / 1000));
      if (maxAge < 1) {
        entries.delete(key);
        options.onLookup?.('expired');
        return undefined;
      }
      options.onLookup?.('hit');
      if (entry.lastMaxAge !== maxAge) {
        entry.lastMaxAge = maxAge;
        entry.lastHeaders = { ...response.headers, 'cache-control': `max-age=${maxAge}, public`, 'content-length': entry.bodyBytes };
      }
      return { response, maxAge, headers: entry.lastHeaders };
    },
    offer(key, response, held, operationName) {
      if (held === undefined || held.length === 0) return;
      if ((response.status ?? 200) !== 200 || response.body.kind !== 'complete') return;
      const maxAge = Number(PUBLIC_MAX_AGE.exec(response.headers.get('cache-control') ?? '')?.[1] ?? 0);
      if (maxAge < 1) return;
      const headers: Record<string, string> = {};
      for (const [name, value] of response.headers) if (name !== 'cache-control' && name !== 'content-length') headers[name] = value;
      const body = response.body.string;
      const kept = { body, headers, maxAge, held: [...held], operationName };
      entries.set(key, { response: kept, bodyBytes: String(Buffer.byteLength(body)), lastMaxAge: 0, lastHeaders: headers });
    },
    stats: () => ({ entries: entries.size, bytes: entries.calculatedSize }),
  };
}
