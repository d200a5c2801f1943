/**
 * The upstream gate on its own: the concurrency cap, round-robin turns
 * between requesters, aborts while waiting, and the sliding-window rate.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUpstreamGate } from '../../src/sectigo/gate.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Acquires for each label in turn; records the order in which turns are granted. */
function contenders(gate: ReturnType<typeof createUpstreamGate>, labels: ReadonlyArray<[object, string]>) {
  const granted: string[] = [];
  const releases: Array<() => void> = [];
  const all = labels.map(([requester, label]) =>
    gate.acquire(requester).then((release) => {
      granted.push(label);
      releases.push(release);
    }),
  );
  return { granted, releases, all };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the upstream gate', () => {
  it('keeps at most maxConcurrency attempts in flight and grants the rest as slots free up', async () => {
    const gate = createUpstreamGate({ maxConcurrency: 2, ratePerSecond: 0 });
    const a = {};
    const { granted, releases } = contenders(gate, [
      [a, '1'],
      [a, '2'],
      [a, '3'],
      [a, '4'],
    ]);
    await tick();
    expect(granted).toEqual(['1', '2']);
    expect(gate.stats()).toEqual({ inFlight: 2, queued: 2, waitingRequesters: 1 });
    releases[0]?.();
    releases[0]?.(); // a second release of the same slot frees nothing more
    await tick();
    expect(granted).toEqual(['1', '2', '3']);
    expect(gate.stats()).toMatchObject({ inFlight: 2, queued: 1 });
  });

  it('takes turns round-robin between requesters, first in first out within one', async () => {
    const gate = createUpstreamGate({ maxConcurrency: 1, ratePerSecond: 0 });
    const big = {};
    const small = {};
    const third = {};
    const { granted, releases } = contenders(gate, [
      [big, 'b1'],
      [big, 'b2'],
      [big, 'b3'],
      [big, 'b4'],
      [small, 's1'],
      [third, 't1'],
      [small, 's2'],
    ]);
    for (let i = 0; i < 7; i += 1) {
      await tick();
      releases[i]?.();
    }
    await tick();
    expect(granted).toEqual(['b1', 'b2', 's1', 't1', 'b3', 's2', 'b4']);
  });

  it('drops a waiter whose signal aborts, rejecting with its reason and holding nothing', async () => {
    const gate = createUpstreamGate({ maxConcurrency: 1, ratePerSecond: 0 });
    const first = await gate.acquire({});
    const controller = new AbortController();
    const waiting = gate.acquire({}, controller.signal);
    expect(gate.stats().queued).toBe(1);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(gate.stats()).toEqual({ inFlight: 1, queued: 0, waitingRequesters: 0 });
    first();
    expect(gate.stats().inFlight).toBe(0);
    await expect(gate.acquire({}, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('starts at most ratePerSecond attempts in any 1000 ms window', async () => {
    vi.useFakeTimers();
    const gate = createUpstreamGate({ maxConcurrency: 100, ratePerSecond: 3, now: () => Date.now() });
    const r = {};
    const { granted, releases } = contenders(gate, [
      [r, '1'],
      [r, '2'],
      [r, '3'],
      [r, '4'],
      [r, '5'],
      [r, '6'],
      [r, '7'],
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual(['1', '2', '3']);
    for (const release of releases) release();
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted).toHaveLength(7);
  });

  it('asks a shared budget that said "wait" again only once the wait is over, not in a loop', async () => {
    vi.useFakeTimers();
    let takes = 0;
    // Like Redis: one round trip per take; the first start is granted, then 500 ms to wait.
    const budget = { take: () => new Promise<number>((resolve) => setImmediate(() => resolve((takes += 1) === 1 ? 0 : 500))) };
    const gate = createUpstreamGate({ maxConcurrency: 4, ratePerSecond: 5, budget });
    const first = gate.acquire({});
    const second = gate.acquire({});
    await vi.advanceTimersByTimeAsync(200);
    expect(takes).toBe(2);
    await first;
    await vi.advanceTimersByTimeAsync(310);
    expect(takes).toBe(3);
    void second;
  });
});
