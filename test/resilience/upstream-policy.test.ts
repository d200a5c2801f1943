/**
 * Retries, deadline, circuit breaker, -16 back-off, rate limit,
 * stale-if-error and transport failures, mostly over real HTTP against the
 * simulator's faults.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstreamGate } from '../../src/sectigo/gate.js';
import { createResilientClient } from '../../src/sectigo/resilience.js';
import type { SectigoClient } from '../../src/sectigo/client.js';
import { SectigoError } from '../../src/sectigo/errors.js';
import { byOrderNumber, type OrderNumber } from '../../src/sectigo/ids.js';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';

const DV = DEMO_ORDERS.dvIssued;
const STATUS = (id: string = DV) => `{ order(orderNumber: "${id}") { status } }`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(env: Record<string, string>): Promise<Harness> {
  h = await startHarness({ env: { CACHE_TTL_MS: '0', UPSTREAM_RETRY_BASE_MS: '5', ...env } });
  return h;
}

describe('retries', () => {
  it('retries a burst of -14 and answers once the upstream recovers', async () => {
    const t = await harness({ UPSTREAM_RETRIES: '2' });
    t.simulator.injectFault({ kind: 'errorCode', code: -14 }, 2);
    const result = await t.query<{ order: { status: string } }>(STATUS());
    expect(result.body.data?.order.status).toBe('Issued');
    expect(t.simulator.calls.map((c) => c.errorCode)).toEqual([-14, -14, 0]);
    expect(await t.metric(/^sectigo_upstream_retries_total\{outcome="SECTIGO_UNKNOWN_ERROR"\}/)).toMatch(/ 2$/);
  });

  it.each([
    ['a timeout', { kind: 'hang' as const }],
    ['an HTTP 502', { kind: 'http' as const, status: 502 }],
    ['a reset', { kind: 'reset' as const }],
  ])('retries %s', async (_name, fault) => {
    const t = await harness({ UPSTREAM_RETRIES: '1', UPSTREAM_TIMEOUT_MS: '200' });
    t.simulator.injectFault(fault);
    const result = await t.query<{ order: { status: string } }>(STATUS());
    expect(result.body.data?.order.status).toBe('Issued');
    expect(t.simulator.calls).toHaveLength(2);
  });

  it.each([-2, -3, -4, -16, -17, -15, -99])('never retries errorCode %i', async (code) => {
    const t = await harness({ UPSTREAM_RETRIES: '3' });
    t.simulator.injectFault({ kind: 'errorCode', code }, 10);
    await t.query(STATUS());
    expect(t.simulator.calls).toHaveLength(1);
  });

  it('gives up at the total deadline however many retries are left', async () => {
    const t = await harness({ UPSTREAM_RETRIES: '10', UPSTREAM_TIMEOUT_MS: '100', UPSTREAM_DEADLINE_MS: '250' });
    t.simulator.injectFault({ kind: 'hang' }, Infinity);
    const result = await t.query(STATUS());
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(t.simulator.calls.length).toBeGreaterThanOrEqual(2);
    expect(t.simulator.calls.length).toBeLessThanOrEqual(3);
  });
});

describe('the order deadline', () => {
  it('logs the attempt it cuts short as SECTIGO_TIMEOUT, the code the client gets, not as aborted', async () => {
    // Attempts time out at 100 ms; the third is cut by the 250 ms deadline.
    const t = await harness({ UPSTREAM_RETRIES: '10', UPSTREAM_TIMEOUT_MS: '100', UPSTREAM_DEADLINE_MS: '250' });
    t.simulator.injectFault({ kind: 'hang' }, Infinity);
    const result = await t.query(STATUS());
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamCode: 'SECTIGO_TIMEOUT' });
    const attempts = t.logs
      .map((line) => JSON.parse(line) as { event?: string; outcome?: string })
      .filter((line) => line.event === 'upstream_call');
    expect(attempts).toHaveLength(t.simulator.calls.length);
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(attempts.map(() => 'SECTIGO_TIMEOUT'));
  });

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

describe('circuit breaker', () => {
  const cold = (i: number) => String(20_000_500 + i);

  it('opens once UPSTREAM_BREAKER_FAILURES distinct orders fail with the upstream down, then answers UPSTREAM_UNAVAILABLE without calling', async () => {
    const t = await harness({ UPSTREAM_BREAKER_FAILURES: '3', UPSTREAM_BREAKER_HALF_OPEN_MS: '60000' });
    t.simulator.injectFault({ kind: 'http', status: 503 }, Infinity);
    for (let i = 0; i < 3; i += 1) await t.query(STATUS(cold(i)));
    expect(t.simulator.calls).toHaveLength(3);
    const refused = await t.query(STATUS(DEMO_ORDERS.multiDomain));
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamCode: 'SECTIGO_CIRCUIT_OPEN' });
    expect(t.simulator.calls).toHaveLength(3);
    expect(JSON.parse((await t.get('/health/ready')).text)).toEqual({ status: 'ready', upstreamCircuit: 'open' });
    expect(await t.metric(/^sectigo_upstream_circuit_state /)).toBe('sectigo_upstream_circuit_state 2');
    expect(await t.metric(/^sectigo_upstream_rejected_total\{reason="circuit_open"\}/)).toMatch(/ 1$/);
  });

  it('counts one poison order once, however often and in whatever spelling it is asked for', async () => {
    const t = await harness({ UPSTREAM_BREAKER_FAILURES: '2', UPSTREAM_RETRIES: '2' });
    const poison = '20000999';
    t.simulator.injectFault({ kind: 'http', status: 503 }, Infinity, { orderNumber: poison });
    for (const spelling of [poison, `0${poison}`, `00${poison}`, poison]) {
      expect((await t.query(STATUS(spelling))).body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    }
    // 4 requests x 3 attempts each, and the circuit never opened:
    expect(t.simulator.calls).toHaveLength(12);
    const ok = await t.query<{ order: { status: string } }>(STATUS());
    expect(ok.body.data?.order.status).toBe('Issued');
    expect(JSON.parse((await t.get('/health/ready')).text)).toMatchObject({ upstreamCircuit: 'closed' });
  });

  it('does not let two orders failing transiently in a row stop every other order (default threshold)', async () => {
    const t = await harness({ UPSTREAM_BREAKER_FAILURES: '' });
    t.simulator.injectFault({ kind: 'http', status: 502 }, 2);
    await t.query(STATUS(cold(1)));
    await t.query(STATUS(cold(2)));
    const ok = await t.query<{ order: { status: string } }>(STATUS());
    expect(ok.body.data?.order.status).toBe('Issued');
    expect(t.simulator.calls).toHaveLength(3);
  });

  it('never opens on answers from Sectigo, -14 included', async () => {
    const t = await harness({ UPSTREAM_BREAKER_FAILURES: '2', UPSTREAM_RETRIES: '1' });
    t.simulator.injectFault({ kind: 'errorCode', code: -14 }, 8);
    for (let i = 0; i < 4; i += 1) await t.query(STATUS(cold(i)));
    expect(t.simulator.calls).toHaveLength(8);
    const ok = await t.query<{ order: { status: string } }>(STATUS());
    expect(ok.body.data?.order.status).toBe('Issued');
  });

  it('forgets failures older than UPSTREAM_BREAKER_WINDOW_MS', async () => {
    const t = await harness({ UPSTREAM_BREAKER_FAILURES: '2', UPSTREAM_BREAKER_WINDOW_MS: '50' });
    t.simulator.injectFault({ kind: 'http', status: 503 }, 2);
    await t.query(STATUS(cold(1)));
    // The breaker's clock is real time: let the window pass.
    await new Promise((resolve) => setTimeout(resolve, 80));
    await t.query(STATUS(cold(2)));
    expect((await t.query<{ order: { status: string } }>(STATUS())).body.data?.order.status).toBe('Issued');
  });

  it('trips within one round of a dead upstream: far fewer calls than requests', async () => {
    const t = await harness({
      UPSTREAM_BREAKER_FAILURES: '5',
      UPSTREAM_RETRIES: '2',
      UPSTREAM_TIMEOUT_MS: '100',
      UPSTREAM_MAX_CONCURRENCY: '8',
      UPSTREAM_MAX_CONNECTIONS: '8',
    });
    t.simulator.injectFault({ kind: 'hang' }, Infinity);
    const requests = Array.from({ length: 40 }, (_, i) => t.query(STATUS(cold(i))));
    const results = await Promise.all(requests);
    expect(results.every((r) => r.body.errors?.[0]?.extensions?.['code'] === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    expect(t.simulator.calls.length).toBeLessThan(20);
    expect(JSON.parse((await t.get('/health/ready')).text)).toMatchObject({ upstreamCircuit: 'open' });
  });

  it('does not count answers such as NOT_FOUND as failures', async () => {
    const t = await harness({ UPSTREAM_BREAKER_FAILURES: '2' });
    for (let i = 0; i < 4; i += 1) await t.query(STATUS(`404040${i}`));
    const ok = await t.query<{ order: { status: string } }>(STATUS());
    expect(ok.body.data?.order.status).toBe('Issued');
    expect(t.simulator.calls).toHaveLength(5);
  });

  it('lets one trial call through after the half-open delay, refuses the others at once meanwhile, and closes on success', async () => {
    const t = await harness({ UPSTREAM_BREAKER_FAILURES: '1', UPSTREAM_BREAKER_HALF_OPEN_MS: '100' });
    t.simulator.injectFault({ kind: 'http', status: 503 });
    await t.query(STATUS());
    expect((await t.query(STATUS())).body.errors?.[0]?.extensions?.['upstreamCode']).toBe('SECTIGO_CIRCUIT_OPEN');
    // The breaker's clock is real time: let the half-open delay pass.
    await new Promise((resolve) => setTimeout(resolve, 150));
    t.simulator.resetCalls();
    t.simulator.injectFault({ kind: 'delay', ms: 300 });
    const trial = t.query<{ order: { status: string } }>(STATUS());
    await t.simulator.waitForCalls(1);
    const started = performance.now();
    const other = await t.query(STATUS(DEMO_ORDERS.multiDomain));
    expect(other.body.errors?.[0]?.extensions?.['upstreamCode']).toBe('SECTIGO_CIRCUIT_OPEN');
    // Refused at once, not held behind the 300 ms trial.
    expect(performance.now() - started).toBeLessThan(250);
    expect((await trial).body.data?.order.status).toBe('Issued');
    expect(t.simulator.calls).toHaveLength(1);
    expect(JSON.parse((await t.get('/health/ready')).text)).toMatchObject({ upstreamCircuit: 'closed' });
  });
});

describe('fair, capped use of the account', () => {
  it("lets a single order of another request through ahead of a big request's queue", async () => {
    const t = await harness({ UPSTREAM_MAX_CONCURRENCY: '1', UPSTREAM_RATE_LIMIT: '0' });
    t.simulator.setLatency(15);
    const big = Array.from({ length: 40 }, (_, i) => String(20_001_000 + i));
    const bigRequest = t.query(`{ orders(orderNumbers: ${JSON.stringify(big)}) { status } }`);
    await t.simulator.waitForCalls(2);
    const before = t.simulator.calls.length;
    const small = await t.query<{ order: { status: string } }>(STATUS());
    expect(small.body.data?.order.status).toBe('Issued');
    const position = t.simulator.calls.findIndex((c) => c.orderNumber === DV);
    // Round-robin: at most the call on the wire and one more of the big request's go first (FIFO: all 38 left).
    expect(position - before).toBeLessThanOrEqual(2);
    await bigRequest;
    expect(t.simulator.maxConcurrentCalls).toBe(1);
  });

  it('holds no slot while backing off between retries', async () => {
    const t = await harness({ UPSTREAM_MAX_CONCURRENCY: '1', UPSTREAM_RETRIES: '1', UPSTREAM_RETRY_BASE_MS: '400' });
    const flaky = '20002000';
    t.simulator.injectFault({ kind: 'http', status: 503 }, 1, { orderNumber: flaky });
    const retried = t.query(STATUS(flaky));
    await t.simulator.waitForCalls(1);
    const other = await t.query<{ order: { status: string } }>(STATUS());
    expect(other.body.data?.order.status).toBe('Issued');
    await retried;
    expect(t.simulator.calls.map((c) => c.orderNumber)).toEqual([flaky, DV, flaky]);
  });

  it('limits the account to UPSTREAM_RATE_LIMIT calls per second by default (20)', async () => {
    const t = await harness({ UPSTREAM_MAX_CONCURRENCY: '64', UPSTREAM_MAX_CONNECTIONS: '64' });
    const ids = Array.from({ length: 25 }, (_, i) => String(20_003_000 + i));
    const started = performance.now();
    const pending = t.query(`{ orders(orderNumbers: ${JSON.stringify(ids)}) { status } }`);
    await t.simulator.waitForCalls(20);
    const first20 = performance.now() - started;
    await t.simulator.waitForCalls(21);
    const the21st = performance.now() - started;
    expect((await pending).body.errors).toBeUndefined();
    expect(first20).toBeLessThan(900);
    expect(the21st).toBeGreaterThanOrEqual(950);
  });
});

describe('after -16', () => {
  it('stops calling Sectigo for the back-off period and answers UPSTREAM_AUTH_FAILED at once', async () => {
    const t = await harness({ UPSTREAM_AUTH_BACKOFF_MS: '60000' });
    t.simulator.injectFault({ kind: 'errorCode', code: -16 });
    const first = await t.query(STATUS());
    expect(first.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', sectigoErrorCode: -16 });
    const results = await Promise.all([t.query(STATUS()), t.query(STATUS(DEMO_ORDERS.rejected)), t.query(STATUS('4040404'))]);
    for (const result of results) {
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', sectigoErrorCode: -16 });
    }
    expect(t.simulator.calls).toHaveLength(1);
    expect(await t.metric(/^sectigo_upstream_rejected_total\{reason="auth_backoff"\}/)).toMatch(/ 3$/);
  });

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

describe('rate limit', () => {
  it('makes at most UPSTREAM_RATE_LIMIT calls in any one second', async () => {
    const t = await harness({ UPSTREAM_RATE_LIMIT: '4', UPSTREAM_MAX_CONCURRENCY: '16', UPSTREAM_MAX_CONNECTIONS: '16' });
    const ids = Array.from({ length: 6 }, (_, i) => String(20_000_100 + i));
    const started = performance.now();
    const pending = t.query(`{ orders(orderNumbers: ${JSON.stringify(ids)}) { status } }`);
    await t.simulator.waitForCalls(4);
    const firstFour = performance.now() - started;
    await t.simulator.waitForCalls(5);
    const fifth = performance.now() - started;
    await pending;
    expect(firstFour).toBeLessThan(900);
    // The fifth call waits for the next one-second window.
    expect(fifth).toBeGreaterThanOrEqual(900);
  });
});

const SHORT_STALE = { CACHE_TTL_MS: '1000', STALE_IF_ERROR_MS: '60000' };

describe('stale-if-error', () => {
  const staleEnv = { CACHE_TTL_MS: '1000', STALE_IF_ERROR_MS: '60000' };

  it('serves a recently expired answer when the upstream is unavailable, and says so', async () => {
    const t = await harness(staleEnv);
    await t.query(STATUS());
    t.advanceClock(5_000);
    t.simulator.injectFault({ kind: 'http', status: 503 });
    const response = await t.query(STATUS());
    expect(response.body).toEqual({ data: { order: { status: 'Issued' } }, extensions: { staleOrders: [DV] } });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(t.simulator.calls).toHaveLength(2);
  });

  it('does not serve an answer older than TTL + STALE_IF_ERROR_MS', async () => {
    const t = await harness(staleEnv);
    await t.query(STATUS());
    t.advanceClock(61_001 + 1_000);
    t.simulator.injectFault({ kind: 'http', status: 503 });
    expect((await t.query(STATUS())).body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('does not hide an answer from Sectigo (NOT_FOUND stays NOT_FOUND)', async () => {
    const t = await harness(staleEnv);
    await t.query(STATUS());
    t.advanceClock(5_000);
    t.simulator.injectFault({ kind: 'errorCode', code: -4 });
    expect((await t.query(STATUS())).body.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it('is off by default', async () => {
    const t = await harness({ CACHE_TTL_MS: '1000' });
    await t.query(STATUS());
    t.advanceClock(5_000);
    t.simulator.injectFault({ kind: 'http', status: 503 });
    expect((await t.query(STATUS())).body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('serves the stale answer to every request sharing the failed call', async () => {
    const t = await startHarness({ env: { ...SHORT_STALE, UPSTREAM_TIMEOUT_MS: '300' } });
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
    h = await startHarness({ env: SHORT_STALE });
    await h.query(`{ order(orderNumber: "${DV}") { status } }`);
    h.advanceClock(5_000);
    h.simulator.injectFault({ kind: 'errorCode', code: -14 });
    const result = await h.query(`{ order(orderNumber: "${DV}") { status } }`);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', sectigoErrorCode: -14 });
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
