/**
 * The cross-request store with a scripted client: account isolation in a
 * shared cache, the byte bound and coalescing (the concurrency cap is the gate's: gate.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { RequestBudgetExceeded, createOrderLoader } from '../../src/loading/order-loader.js';
import { accountKey, createOrderStore, type AnswerCacheOptions } from '../../src/loading/order-store.js';
import type { SharedTier } from '../../src/loading/shared-tier.js';
import type { OrderAnswer, UpstreamAnswer } from '../../src/sectigo/answer.js';
import type { SectigoClient } from '../../src/sectigo/client.js';
import { levelKey, type DetailLevel } from '../../src/sectigo/detail.js';
import { SectigoError } from '../../src/sectigo/errors.js';
import { byCertificateId, byOrderNumber, orderRefKey, type CertificateId, type OrderNumber, type OrderRef } from '../../src/sectigo/ids.js';

const L0: DetailLevel = { queryType: 0, showValidityPeriod: false };
const L1: DetailLevel = { queryType: 1, showValidityPeriod: false };
const L0Y: DetailLevel = { queryType: 0, showValidityPeriod: true };
const L2Y: DetailLevel = { queryType: 2, showValidityPeriod: true };

const order = (n: string) => byOrderNumber(n as OrderNumber);

/** A client whose calls stay pending until released, recording each one. */
function scriptedClient(label = 'account', payloadBytes = 100) {
  const calls: string[] = [];
  const pending: Array<() => void> = [];
  let open = 0;
  let maxOpen = 0;
  const client: SectigoClient = {
    fetchOrder(ref: OrderRef, level: DetailLevel) {
      calls.push(`${orderRefKey(ref)}@${levelKey(level)}`);
      open += 1;
      maxOpen = Math.max(maxOpen, open);
      return new Promise<UpstreamAnswer>((resolve, reject) => {
        pending.push(() => {
          open -= 1;
          if (ref.kind === 'orderNumber' && ref.orderNumber === '404') {
            reject(new SectigoError('SECTIGO_INVALID_ARGUMENT', 'no such order', { sectigoErrorCode: -4, argument: 'orderNumber' }));
            return;
          }
          const orderNumber = ref.kind === 'orderNumber' ? ref.orderNumber : '777';
          resolve({
            source: 'upstream',
            freshForMs: 0,
            bytes: payloadBytes,
            status: {
              level,
              replacementOrders: [],
              order: {
                index: 1,
                orderNumber,
                orderedAt: null,
                status: `${label}:${'x'.repeat(payloadBytes)}`,
                statusReason: null,
                suggestedOrganization: null,
                certificates: [],
                otherFields: [],
              },
            },
          });
        });
      });
    },
    async close() {},
  };
  return {
    client,
    calls,
    get maxOpen() {
      return maxOpen;
    },
    /** Answers every call made so far, and any made while answering. */
    async releaseAll() {
      // Calls start asynchronously (behind the concurrency limiter): let them arrive first.
      await new Promise((resolve) => setImmediate(resolve));
      while (pending.length > 0) {
        pending.splice(0).forEach((release) => release());
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

function cache(maxBytes = 10_000_000): AnswerCacheOptions {
  return { ttlMs: 60_000, maxBytes };
}

/** The Redis tier's contract in memory: answers by key, no lock (one replica at a time here). */
function memoryTier(): SharedTier {
  const stored = new Map<string, OrderAnswer>();
  return {
    get: async (key) => stored.get(key),
    async singleFlight(key, _level, fetchAnswer) {
      const answer = await fetchAnswer();
      stored.set(key, answer);
      return answer;
    },
    connected: () => true,
    async close() {},
  };
}

describe('accountKey', () => {
  it('differs per login and per upstream URL and never contains the password or login', () => {
    const url = new URL('https://secure.trust-provider.com/products/!GetDetailedOrderStatus');
    const a = accountKey(url, 'alice');
    expect(a).not.toBe(accountKey(url, 'bob'));
    expect(a).not.toBe(accountKey(new URL('https://other.example/x'), 'alice'));
    expect(a).toBe(accountKey(url, 'alice'));
    expect(a).not.toContain('alice');
  });
});

describe('a shared tier used by two accounts', () => {
  it("never serves one account the other account's answer", async () => {
    const shared = memoryTier();
    const alice = scriptedClient('alice');
    const bob = scriptedClient('bob');
    const aliceStore = createOrderStore({ client: alice.client, accountKey: 'A', cache: cache(), shared });
    const bobStore = createOrderStore({ client: bob.client, accountKey: 'B', cache: cache(), shared });

    const a = aliceStore.get(order('1'), L0);
    await alice.releaseAll();
    expect((await a).status.order.status).toMatch(/^alice:/);

    const b = bobStore.get(order('1'), L0);
    await bob.releaseAll();
    expect((await b).status.order.status).toMatch(/^bob:/);
    expect(bob.calls).toEqual(['o:1@0N']);
    expect((await aliceStore.get(order('1'), L0)).source).toBe('cache');
  });
});

describe('the byte bound', () => {
  it('evicts the least recently used answers once the estimated bytes exceed CACHE_MAX_BYTES', async () => {
    let evictions = 0;
    const bounded = { ttlMs: 60_000, maxBytes: 20_000, onEvict: () => (evictions += 1) };
    const fake = scriptedClient('acct', 2_000);
    const store = createOrderStore({ client: fake.client, accountKey: 'A', cache: bounded });
    const loads = Array.from({ length: 20 }, (_, i) => store.get(order(String(i + 1)), L0));
    await fake.releaseAll();
    await Promise.all(loads);
    expect(store.stats().bytes).toBeLessThanOrEqual(20_000);
    expect(store.stats().entries).toBeLessThan(20);
    expect(evictions).toBe(20 - store.stats().entries);
    // The newest entry is still there; the oldest is gone.
    expect((await store.get(order('20'), L0)).source).toBe('cache');
    const again = store.get(order('1'), L0);
    await fake.releaseAll();
    expect((await again).source).toBe('upstream');
  });
});

describe('coalescing', () => {
  it('shares one in-flight call among concurrent needs it covers and counts them as coalesced', async () => {
    const fake = scriptedClient();
    const store = createOrderStore({ client: fake.client, accountKey: 'A' });
    const first = store.get(order('5'), L2Y);
    const others = [store.get(order('5'), L0), store.get(order('5'), L1), store.get(order('5'), L0Y)];
    await fake.releaseAll();
    expect((await first).source).toBe('upstream');
    expect((await Promise.all(others)).map((l) => l.source)).toEqual(['coalesced', 'coalesced', 'coalesced']);
    expect(fake.calls).toEqual(['o:5@2Y']);
  });

  it('does not cache a failure, and the next need calls again', async () => {
    const fake = scriptedClient();
    const store = createOrderStore({ client: fake.client, accountKey: 'A', cache: cache() });
    const failed = expect(store.get(order('404'), L0)).rejects.toMatchObject({ code: 'SECTIGO_INVALID_ARGUMENT' });
    await fake.releaseAll();
    await failed;
    const again = expect(store.get(order('404'), L0)).rejects.toBeInstanceOf(SectigoError);
    await fake.releaseAll();
    await again;
    expect(fake.calls).toHaveLength(2);
  });

  it('files an answer fetched by certificate id under its order number too', async () => {
    const fake = scriptedClient();
    const store = createOrderStore({ client: fake.client, accountKey: 'A', cache: cache() });
    const byCert = store.get(byCertificateId('9007199254740993' as CertificateId), L0);
    await fake.releaseAll();
    await byCert;
    expect((await store.get(order('777'), L0)).source).toBe('cache');
  });
});

describe('the per-request loader', () => {
  it('answers each key of a batch, merging the levels asked for the same order into one call', async () => {
    const fake = scriptedClient();
    const store = createOrderStore({ client: fake.client, accountKey: 'A' });
    const loader = createOrderLoader(store, { maxOrders: 100 });
    const loads = [loader.load(order('1'), L0), loader.load(order('2'), L0Y), loader.load(order('1'), L1), loader.load(order('1'), L0Y)];
    await new Promise((resolve) => setImmediate(resolve));
    await fake.releaseAll();
    const results = await Promise.all(loads);
    expect(results.map((answer) => answer.status.order.orderNumber)).toEqual(['1', '2', '1', '1']);
    expect(fake.calls.sort()).toEqual(['o:1@1Y', 'o:2@0Y']);
    expect(loader.counts).toEqual({ cache: 0, shared: 0, coalesced: 0, upstream: 2, stale: 0 });
  });

  it('reuses an earlier load of the same request whose level covers a later need', async () => {
    const fake = scriptedClient();
    const store = createOrderStore({ client: fake.client, accountKey: 'A' });
    const loader = createOrderLoader(store, { maxOrders: 100 });
    const first = loader.load(order('1'), L2Y);
    await new Promise((resolve) => setImmediate(resolve));
    await fake.releaseAll();
    await first;
    await loader.load(order('1'), L1);
    expect(fake.calls).toEqual(['o:1@2Y']);
  });

  it('rejects only the key whose order failed', async () => {
    const fake = scriptedClient();
    const store = createOrderStore({ client: fake.client, accountKey: 'A' });
    const loader = createOrderLoader(store, { maxOrders: 100 });
    const ok = expect(loader.load(order('1'), L0)).resolves.toMatchObject({ status: { order: { orderNumber: '1' } } });
    const bad = expect(loader.load(order('404'), L0)).rejects.toMatchObject({ code: 'SECTIGO_INVALID_ARGUMENT' });
    await fake.releaseAll();
    await Promise.all([ok, bad]);
  });

  it('refuses a distinct order past its budget without asking the store, and still serves the ones it holds', async () => {
    const fake = scriptedClient();
    const store = createOrderStore({ client: fake.client, accountKey: 'A' });
    const loader = createOrderLoader(store, { maxOrders: 2 });
    const loads = [loader.load(order('1'), L0), loader.load(order('2'), L0)];
    const over = expect(loader.load(order('3'), L0)).rejects.toBeInstanceOf(RequestBudgetExceeded);
    const again = loader.load(order('1'), L0);
    await new Promise((resolve) => setImmediate(resolve));
    await fake.releaseAll();
    await over;
    await Promise.all([...loads, again]);
    expect(fake.calls.sort()).toEqual(['o:1@0N', 'o:2@0N']);
  });
});
