/**
 * Honest counts: the per-operation log line and `order_loads_total` count
 * the upstream calls a request made whatever their outcome, a -16 is
 * logged loudly, and unexpected errors are counted by code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { CACHE_TTL_MS: '0', UPSTREAM_TIMEOUT_MS: '200' } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.simulator.resetCalls();
});

type Line = Record<string, unknown>;

async function logsOf(run: () => Promise<unknown>): Promise<Line[]> {
  const before = h.logs.length;
  await run();
  return h.logs.slice(before).map((line) => JSON.parse(line) as Line);
}

const operationLine = (lines: Line[]) => lines.find((l) => l['event'] === 'graphql_operation');

async function metric(name: string, labels: string): Promise<number> {
  const { text } = await h.get('/metrics');
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('the operation log line counts failed upstream calls', () => {
  it('counts a -4 answer as one upstream call that failed', async () => {
    h.simulator.injectFault({ kind: 'errorCode', code: -4 });
    const lines = await logsOf(() => h.query(`query Failing { order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`));
    expect(h.simulator.calls).toHaveLength(1);
    expect(operationLine(lines)).toMatchObject({ operationName: 'Failing', upstreamCalls: 1, upstreamFailures: 1, failedLoads: 1 });
  });

  it('counts a timed-out attempt as an upstream call', async () => {
    h.simulator.injectFault({ kind: 'hang' });
    const lines = await logsOf(() => h.query(`query Slow { order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`));
    expect(operationLine(lines)).toMatchObject({
      upstreamCalls: 1,
      upstreamFailures: 1,
      failedLoads: 1,
      errorCodes: ['UPSTREAM_UNAVAILABLE'],
    });
  });

  it('counts every attempt a request made, retries included, and not the orders another request fetched for it', async () => {
    const retrying = await startHarness({ env: { CACHE_TTL_MS: '0', UPSTREAM_RETRIES: '2', UPSTREAM_RETRY_BASE_MS: '1' } });
    try {
      retrying.simulator.injectFault({ kind: 'http', status: 503 }, 2);
      const before = retrying.logs.length;
      const result = await retrying.query(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`);
      expect(result.body.errors).toBeUndefined();
      const lines = retrying.logs.slice(before).map((line) => JSON.parse(line) as Line);
      expect(retrying.simulator.calls).toHaveLength(3);
      expect(operationLine(lines)).toMatchObject({ upstreamCalls: 3, upstreamFailures: 2, failedLoads: 0 });
      expect(lines.filter((l) => l['event'] === 'upstream_call').map((l) => l['retry'])).toEqual([0, 1, 2]);
    } finally {
      await retrying.close();
    }
  });

  it('counts no upstream call for an order refused locally', async () => {
    const blocked = await startHarness({ wrongPassword: true, env: { CACHE_TTL_MS: '0', UPSTREAM_AUTH_BACKOFF_MS: '60000' } });
    try {
      await blocked.query(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`);
      const before = blocked.logs.length;
      await blocked.query(`query Refused { order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`);
      const lines = blocked.logs.slice(before).map((line) => JSON.parse(line) as Line);
      expect(blocked.simulator.calls).toHaveLength(1);
      expect(operationLine(lines)).toMatchObject({ upstreamCalls: 0, upstreamFailures: 0, failedLoads: 1 });
    } finally {
      await blocked.close();
    }
  });
});

describe('order_loads_total', () => {
  it('counts failed loads by source with outcome="error"', async () => {
    const before = await metric('order_loads_total', 'source="upstream",outcome="error"');
    const okBefore = await metric('order_loads_total', 'source="upstream",outcome="ok"');
    h.simulator.injectFault({ kind: 'errorCode', code: -4 });
    await h.query(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`);
    await h.query(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`);
    expect(await metric('order_loads_total', 'source="upstream",outcome="error"')).toBe(before + 1);
    expect(await metric('order_loads_total', 'source="upstream",outcome="ok"')).toBe(okBefore + 1);
  });
});

describe('log levels', () => {
  it('logs a -16 at error, naming what it risks, and an ordinary Sectigo answer at info', async () => {
    const denied = await startHarness({ wrongPassword: true, env: { CACHE_TTL_MS: '0' } });
    try {
      await denied.query(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`);
      const calls = denied.logs.map((line) => JSON.parse(line) as Line).filter((l) => l['event'] === 'upstream_call');
      expect(calls).toEqual([expect.objectContaining({ level: 'error', sectigoErrorCode: -16, outcome: 'SECTIGO_AUTH_FAILED' })]);
      expect(String(calls[0]?.['msg'])).toMatch(/-16/);
    } finally {
      await denied.close();
    }
    h.simulator.injectFault({ kind: 'errorCode', code: -4 });
    const lines = await logsOf(() => h.query(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`));
    expect(lines.find((l) => l['event'] === 'upstream_call')).toMatchObject({ level: 'info', sectigoErrorCode: -4 });
  });

  it('logs a timeout at warn', async () => {
    h.simulator.injectFault({ kind: 'hang' });
    const lines = await logsOf(() => h.query(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`));
    expect(lines.find((l) => l['event'] === 'upstream_call')).toMatchObject({ level: 'warn', outcome: 'SECTIGO_TIMEOUT' });
  });
});

describe('unexpected errors', () => {
  it('counts every error sent to clients by its code', async () => {
    const before = await metric('graphql_response_errors_total', 'code="NOT_FOUND"');
    await h.query(`{ order(orderNumber: "9999999") { status } }`);
    expect(await metric('graphql_response_errors_total', 'code="NOT_FOUND"')).toBe(before + 1);
  });
});
