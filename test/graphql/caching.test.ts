/**
 * Across requests: the cache serves covered levels, grows to the join of
 * levels, expires by TTL (manual clock), and concurrent cold requests share
 * one upstream call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CERTIFICATE_IDS, DEMO_ORDERS } from '../../src/simulator/index.js';
import { callSummary, startHarness, type Harness } from '../support/harness.js';

const DV = DEMO_ORDERS.dvIssued;
const STATUS = `{ order(orderNumber: "${DV}") { status } }`;
const VALIDATION = `{ order(orderNumber: "${DV}") { certificates { validation { dcv } } } }`;
const VALIDITY = `{ order(orderNumber: "${DV}") { certificates { validity { notAfter } } } }`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(env: Record<string, string> = {}): Promise<Harness> {
  h = await startHarness({ env: { CACHE_TTL_MS: '60000', ...env } });
  return h;
}

describe('the cross-request cache', () => {
  it('answers a repeated query from the cache with no second upstream call', async () => {
    const t = await harness();
    const first = await t.query(STATUS);
    const second = await t.query(STATUS);
    expect(second.body).toEqual(first.body);
    expect(callSummary(t.simulator)).toEqual([`${DV} q0 N`]);
  });

  it('serves a lower-level need from an answer cached at a higher level', async () => {
    const t = await harness();
    await t.query(`{ order(orderNumber: "${DV}") { replacementOrders { orderNumber } certificates { validity { notAfter } } } }`);
    await t.query(VALIDATION);
    await t.query(VALIDITY);
    await t.query(STATUS);
    expect(callSummary(t.simulator)).toEqual([`${DV} q2 Y`]);
  });

  it('fetches a need no cached level covers at exactly its own level, and keeps both answers', async () => {
    const t = await harness();
    await t.query(`{ order(orderNumber: "${DV}") { replacementOrders { orderNumber } } }`);
    // Cached: 2N. Validity needs 0Y, which 2N does not cover: the contract's level is 0Y, not 2Y.
    await t.query(VALIDITY);
    await t.query(VALIDATION);
    await t.query(VALIDITY);
    await t.query(STATUS);
    expect(t.simulator.calls.map((c) => `${c.queryType}${c.showValidityPeriod}`)).toEqual(['2N', '0Y']);
  });

  it('expires entries after CACHE_TTL_MS on its clock', async () => {
    const t = await harness({ CACHE_TTL_MS: '5000' });
    await t.query(STATUS);
    t.advanceClock(4999);
    await t.query(STATUS);
    expect(t.simulator.calls).toHaveLength(1);
    t.advanceClock(2);
    await t.query(STATUS);
    expect(t.simulator.calls).toHaveLength(2);
  });

  it('is off with CACHE_TTL_MS=0: every request calls the upstream', async () => {
    const t = await harness({ CACHE_TTL_MS: '0' });
    await t.query(STATUS);
    await t.query(STATUS);
    expect(t.simulator.calls).toHaveLength(2);
  });

  it('serves an order number from an answer fetched by certificate id', async () => {
    const t = await harness();
    await t.query(`{ orderByCertificateId(certificateId: "${DEMO_CERTIFICATE_IDS.dvIssued}") { status } }`);
    await t.query(STATUS);
    expect(callSummary(t.simulator)).toEqual([`cert:${DEMO_CERTIFICATE_IDS.dvIssued} q0 N`]);
  });

  it('does not cache failures', async () => {
    const t = await harness();
    t.simulator.injectFault({ kind: 'errorCode', code: -14 });
    const failed = await t.query(STATUS);
    expect(failed.body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_ERROR');
    const ok = await t.query<{ order: { status: string } }>(STATUS);
    expect(ok.body.data?.order.status).toBe('Issued');
    expect(t.simulator.calls).toHaveLength(2);
  });
});

describe('coalescing of concurrent cold requests', () => {
  it('makes one upstream call for 20 concurrent GraphQL requests for the same cold order', async () => {
    const t = await harness({ CACHE_TTL_MS: '0' });
    t.simulator.setLatency(100);
    const results = await Promise.all(Array.from({ length: 20 }, () => t.query<{ order: { status: string } }>(STATUS)));
    expect(results.map((r) => r.body.data?.order.status)).toEqual(Array(20).fill('Issued'));
    expect(callSummary(t.simulator)).toEqual([`${DV} q0 N`]);
  });

  it('lets a lower-level request share a higher-level call already in flight', async () => {
    const t = await harness({ CACHE_TTL_MS: '0' });
    t.simulator.setLatency(100);
    const validation = t.query(VALIDATION);
    await t.simulator.waitForCalls(1);
    const [status] = await Promise.all([t.query<{ order: { status: string } }>(STATUS), validation]);
    expect(status.body.data?.order.status).toBe('Issued');
    expect(callSummary(t.simulator)).toEqual([`${DV} q1 N`]);
  });

  it('does not let a higher-level need wait on a lower-level call in flight', async () => {
    const t = await harness({ CACHE_TTL_MS: '0' });
    t.simulator.setLatency(100);
    const status = t.query(STATUS);
    await t.simulator.waitForCalls(1);
    const [validation] = await Promise.all([t.query<{ order: { certificates: Array<{ validation: unknown }> } }>(VALIDATION), status]);
    expect(validation.body.data?.order.certificates[0]?.validation).not.toBeNull();
    expect(callSummary(t.simulator)).toEqual([`${DV} q0 N`, `${DV} q1 N`]);
  });
});

describe('upstream concurrency', () => {
  it('never has more than UPSTREAM_MAX_CONCURRENCY calls open at once', async () => {
    const t = await harness({ CACHE_TTL_MS: '0', UPSTREAM_MAX_CONCURRENCY: '3' });
    t.simulator.setLatency(30);
    const ids = Array.from({ length: 12 }, (_, i) => String(20_000_000 + i));
    const result = await t.query<{ orders: Array<{ orderNumber: string } | null> }>(
      `{ orders(orderNumbers: ${JSON.stringify(ids)}) { orderNumber } }`,
    );
    expect(result.body.data?.orders.map((o) => o?.orderNumber)).toEqual(ids);
    expect(t.simulator.calls).toHaveLength(12);
    expect(t.simulator.maxConcurrentCalls).toBe(3);
  });
});

describe('cache hints for a router', () => {
  it('marks a fresh answer cacheable for CACHE_TTL_MS, public', async () => {
    const t = await harness({ CACHE_TTL_MS: '30000' });
    const response = await t.query(STATUS);
    expect(response.headers.get('cache-control')).toBe('max-age=30, public');
    const failed = await t.query(`{ order(orderNumber: "4040404") { status } }`);
    expect(failed.headers.get('cache-control')).toBe('no-store');
  });

  it('shortens max-age to the remaining life of a cached answer', async () => {
    const t = await harness({ CACHE_TTL_MS: '30000' });
    await t.query(STATUS);
    t.advanceClock(12_500);
    const response = await t.query(VALIDITY.replace('validity { notAfter }', 'status'));
    expect(response.headers.get('cache-control')).toBe('max-age=17, public');
  });

  it('forbids caching when the cache is off or the response has errors', async () => {
    const t = await harness({ CACHE_TTL_MS: '0' });
    expect((await t.query(STATUS)).headers.get('cache-control')).toBe('no-store');
    expect((await t.query(`{ order(orderNumber: "4040404") { status } }`)).headers.get('cache-control')).toBe('no-store');
  });
});
