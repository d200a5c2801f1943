/**
 * Regressions from review: each of these once went wrong.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstreamGate } from '../../src/sectigo/gate.js';
import { createResilientClient } from '../../src/sectigo/resilience.js';
import type { SectigoClient } from '../../src/sectigo/client.js';
import { SectigoError } from '../../src/sectigo/errors.js';
import { byOrderNumber, type OrderNumber } from '../../src/sectigo/ids.js';
import { mapCertificate } from '../../src/sectigo/mapping.js';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';

const DV = DEMO_ORDERS.dvIssued;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('_entities input', () => {
  it.each([
    ['a decimal', 12.5],
    ['a boolean', true],
    ['null', null],
    ['an object', { nested: '1' }],
  ])('answers BAD_USER_INPUT for %s as orderNumber, with no upstream call', async (_name, orderNumber) => {
    h = await startHarness();
    const result = await h.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { status } } }`, {
      r: [{ __typename: 'Order', orderNumber }],
    });
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(h.simulator.calls).toHaveLength(0);
  });

  it('accepts a numeric order number key as the same order', async () => {
    h = await startHarness();
    const result = await h.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { orderNumber } } }`, {
      r: [{ __typename: 'Order', orderNumber: Number(DV) }],
    });
    expect(result.body.data).toEqual({ _entities: [{ orderNumber: DV }] });
  });

  it('refuses more representations than ORDERS_MAX_IDS before any upstream call', async () => {
    h = await startHarness({ env: { ORDERS_MAX_IDS: '5' } });
    const result = await h.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { status } } }`, {
      r: Array.from({ length: 6 }, (_, i) => ({ __typename: 'Order', orderNumber: String(20_000_000 + i) })),
    });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(h.simulator.calls).toHaveLength(0);
  });
});

describe('transport failures', () => {
  it('answers UPSTREAM_UNAVAILABLE, not an internal error, when TLS fails', async () => {
    h = await startHarness();
    const tls = await startHarness({
      sharedSimulator: h.simulator,
      env: { SECTIGO_API_URL: h.simulator.url.replace('http:', 'https:'), UPSTREAM_TIMEOUT_MS: '1000' },
    });
    try {
      const result = await tls.query(`{ order(orderNumber: "${DV}") { status } }`);
      expect(result.body.errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        upstreamCode: 'SECTIGO_CONNECTION_FAILED',
      });
    } finally {
      await tls.close();
    }
  });
});

describe('stale-if-error', () => {
  const env = { CACHE_TTL_MS: '1000', STALE_IF_ERROR_MS: '60000' };

  it('serves the stale answer to every request sharing the failed call', async () => {
    const t = await startHarness({ env: { ...env, UPSTREAM_TIMEOUT_MS: '300' } });
    h = t;
    const query = `{ order(orderNumber: "${DV}") { status } }`;
    await t.query(query);
    t.advanceClock(5_000);
    t.simulator.injectFault({ kind: 'hang' });
    const first = t.query(query);
    await t.simulator.waitForCalls(2);
    // These two join the hanging call in flight.
    const results = await Promise.all([first, t.query(query), t.query(query)]);
    for (const result of results) expect(result.body).toEqual({ data: { order: { status: 'Issued' } }, extensions: { staleOrders: [DV] } });
    expect(t.simulator.calls).toHaveLength(2);
  });

  it('does not hide a -14 from Sectigo behind a stale answer', async () => {
    h = await startHarness({ env });
    await h.query(`{ order(orderNumber: "${DV}") { status } }`);
    h.advanceClock(5_000);
    h.simulator.injectFault({ kind: 'errorCode', code: -14 });
    const result = await h.query(`{ order(orderNumber: "${DV}") { status } }`);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', sectigoErrorCode: -14 });
  });
});

describe('the deadline covers waiting for a concurrency slot', () => {
  it('fails orders that would wait past UPSTREAM_DEADLINE_MS instead of letting the request hang', async () => {
    h = await startHarness({
      env: { CACHE_TTL_MS: '0', UPSTREAM_MAX_CONCURRENCY: '1', UPSTREAM_TIMEOUT_MS: '300', UPSTREAM_DEADLINE_MS: '300' },
    });
    h.simulator.setLatency(200);
    const ids = Array.from({ length: 4 }, (_, i) => String(20_000_200 + i));
    const result = await h.query<{ orders: Array<{ status: string } | null> }>(
      `{ orders(orderNumbers: ${JSON.stringify(ids)}) { status } }`,
    );
    const orders = result.body.data?.orders ?? [];
    expect(orders[0]).not.toBeNull();
    expect(orders.filter((o) => o === null).length).toBeGreaterThanOrEqual(2);
    expect(result.body.errors?.every((e) => e.extensions?.['code'] === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    // The late ones never reached Sectigo.
    expect(h.simulator.calls.length).toBeLessThan(4);
  });
});

describe('-16 back-off', () => {
  it('escalates once per incident, not once per call that was already in flight', async () => {
    let clock = 0;
    let calls = 0;
    const failing: SectigoClient = {
      async fetchOrder() {
        calls += 1;
        throw new SectigoError('SECTIGO_AUTH_FAILED', 'no', { sectigoErrorCode: -16 });
      },
      async close() {},
    };
    const client = createResilientClient(failing, {
      retries: 0,
      retryBaseMs: 1,
      breakerFailures: 100,
      breakerWindowMs: 1_000,
      breakerHalfOpenMs: 1_000,
      authBackoffMs: 1_000,
      gate: createUpstreamGate({ maxConcurrency: 4, ratePerSecond: 0 }),
      now: () => clock,
    });
    const ref = byOrderNumber('1' as OrderNumber);
    const level = { queryType: 0, showValidityPeriod: false } as const;
    await Promise.allSettled([1, 2, 3, 4].map(() => client.fetchOrder(ref, level)));
    expect(calls).toBe(4);
    clock = 999;
    await expect(client.fetchOrder(ref, level)).rejects.toMatchObject({ code: 'SECTIGO_AUTH_FAILED' });
    expect(calls).toBe(4);
    // One incident: the base back-off, not 8x.
    clock = 1_001;
    await expect(client.fetchOrder(ref, level)).rejects.toBeInstanceOf(SectigoError);
    expect(calls).toBe(5);
    // A repeat after the window doubles it.
    clock = 1_001 + 1_999;
    await client.fetchOrder(ref, level).catch(() => undefined);
    expect(calls).toBe(5);
  });
});

describe('numbers beyond GraphQL Int', () => {
  it('keeps a count over 2^31-1 raw in otherFields instead of failing the field', () => {
    const certificate = mapCertificate({
      index: 1,
      fields: new Map([
        ['qualysIPsPurchased', '3000000000'],
        ['certificateDuration', '4294967296'],
      ]),
    });
    expect(certificate.license?.hackerGuardian?.ipsPurchased).toBeNull();
    expect(certificate.validity?.durationDays).toBeNull();
    expect(certificate.otherFields).toEqual([
      { name: 'qualysIPsPurchased', value: '3000000000' },
      { name: 'certificateDuration', value: '4294967296' },
    ]);
  });
});
