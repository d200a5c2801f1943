/**
 * Hostile upstream behaviour over real HTTP: each fault ends in the right
 * coded error, the service keeps serving, and memory returns to where it was.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/simulator/index.js';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { startHarness, TEST_PASSWORD, type Harness } from '../support/harness.js';

const DV = DEMO_ORDERS.dvIssued;
const STATUS = `{ order(orderNumber: "${DV}") { status } }`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { CACHE_TTL_MS: '0', UPSTREAM_TIMEOUT_MS: '250', UPSTREAM_MAX_RESPONSE_BYTES: '1048576' } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.simulator.clearFaults();
  h.simulator.resetCalls();
});

const FAULTS: Array<[string, Fault, string]> = [
  ['an upstream that never answers', { kind: 'hang' }, 'UPSTREAM_UNAVAILABLE'],
  ['a body dripped slower than the timeout', { kind: 'slowDrip', chunkDelayMs: 100 }, 'UPSTREAM_UNAVAILABLE'],
  ['a connection reset mid-body', { kind: 'reset' }, 'UPSTREAM_UNAVAILABLE'],
  [
    'an HTML 502 page',
    { kind: 'http', status: 502, body: '<html><h1>502 Bad Gateway</h1></html>', contentType: 'text/html' },
    'UPSTREAM_UNAVAILABLE',
  ],
  ['a -14', { kind: 'errorCode', code: -14 }, 'UPSTREAM_ERROR'],
  ['a -16', { kind: 'errorCode', code: -16 }, 'UPSTREAM_AUTH_FAILED'],
  ['a 10 MB body', { kind: 'huge', bytes: 10 * 1024 * 1024 }, 'UPSTREAM_ERROR'],
  [
    'invalid UTF-8',
    { kind: 'body', body: new Uint8Array([0x65, 0x72, 0x72, 0x6f, 0x72, 0x43, 0x6f, 0x64, 0x65, 0x3d, 0x30, 0xc3, 0x28]) },
    'UPSTREAM_ERROR',
  ],
  ['garbage bytes', { kind: 'body', body: new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) }, 'UPSTREAM_ERROR'],
];

describe('each fault ends in a coded error and the next request succeeds', () => {
  it.each(FAULTS)('%s', async (_name, fault, code) => {
    h.simulator.injectFault(fault);
    const failed = await h.query(STATUS);
    expect(failed.body.data).toEqual({ order: null });
    expect(failed.body.errors?.[0]?.extensions?.['code']).toBe(code);
    expect(failed.text).not.toContain(TEST_PASSWORD);
    const next = await h.query<{ order: { status: string } }>(STATUS);
    expect(next.body.data?.order.status).toBe('Issued');
  });
});

describe('memory', () => {
  function heapAfterGc(): number {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  }

  it('returns to its baseline after a hundred faulted requests, 10 MB bodies included', async () => {
    // Warm up code paths first so that lazy compilation does not count as growth.
    for (const [, fault] of FAULTS.filter(([, f]) => f.kind !== 'hang' && f.kind !== 'slowDrip')) {
      h.simulator.injectFault(fault);
      await h.query(STATUS);
    }
    const baseline = heapAfterGc();
    const quick = FAULTS.filter(([, f]) => f.kind !== 'hang' && f.kind !== 'slowDrip');
    for (let round = 0; round < 12; round += 1) {
      for (const [, fault] of quick) h.simulator.injectFault(fault);
      // Distinct orders, so no two requests share (coalesce into) one upstream call.
      await Promise.all(quick.map((_, i) => h.query(`{ order(orderNumber: "${20_000_000 + round * 100 + i}") { status } }`)));
    }
    expect(h.simulator.calls.length).toBeGreaterThanOrEqual(12 * quick.length);
    const after = heapAfterGc();
    // Each huge fault alone is 10 MB; holding on to even one would show.
    expect(after - baseline).toBeLessThan(8 * 1024 * 1024);
    expect((await h.query<{ order: { status: string } }>(STATUS)).body.data?.order.status).toBe('Issued');
  });
});
