/**
 * Admission to the upstream: every attempt waits here for its turn, a
 * concurrency slot and a rate token, and gives the slot back as soon as the
 * attempt ends (never held through a retry's back-off).
 *
 * Turns are fair between requesters (one GraphQL request each): waiting
 * attempts are queued per requester and served round-robin, so a request of
 * 100 cold orders does not make another request's single order wait behind
 * all of them. Within one requester, first in first out.
 *
 * The rate is a sliding window: at most `ratePerSecond` attempts start in
 * any 1000 ms (0 = no rate limit). With a shared `budget` (replicas on
 * Redis), each start takes a token from the account's budget instead; the
 * turns stay fair between this replica's requesters.
 */

export interface UpstreamGateOptions {
  /** Attempts in flight at most. */
  readonly maxConcurrency: number;
  /** Attempts started per second at most; 0 = unlimited. */
  readonly ratePerSecond: number;
  /** Monotonic milliseconds; injectable for tests. */
  readonly now?: () => number;
  /** The account's budget shared with other replicas; replaces the local window when given. */
  readonly budget?: RateBudget;
}

/** Starts the account may make, wherever they are counted. */
export interface RateBudget {
  /** Takes one start: resolves 0 when taken, else the milliseconds until one may be free (nothing taken). */
  take(): Promise<number>;
}

/** At most `limit` starts in any 1000 ms, counted in this process. */
export interface SlidingWindow {
  /** Takes one start: 0 when taken, else the milliseconds until one is free (nothing taken). */
  take(limit: number): number;
}

export function createSlidingWindow(now: () => number): SlidingWindow {
  /** Start times, oldest first; only the most recent `limit` matter. */
  const starts: number[] = [];
  return {
    take(limit) {
      if (limit <= 0) return 0;
      while (starts.length > limit) starts.shift();
      const at = now();
      if (starts.length === limit) {
        const wait = (starts[0] ?? 0) + WINDOW_MS - at;
        if (wait > 0) return wait;
        starts.shift();
      }
      starts.push(at);
      return 0;
    },
  };
}

export interface UpstreamGateStats {
  readonly inFlight: number;
  readonly queued: number;
  /** Requesters with at least one attempt waiting. */
  readonly waitingRequesters: number;
}

export interface UpstreamGate {
  /**
   * Resolves with a release function once the attempt may start; rejects
   * with `signal.reason` if the signal aborts first (it then holds nothing).
   */
  acquire(requester: object, signal?: AbortSignal): Promise<() => void>;
  stats(): UpstreamGateStats;
}

interface Waiter {
  readonly requester: object;
  readonly grant: (release: () => void) => void;
}

const WINDOW_MS = 1_000;
/** Attempts that name no requester share one queue. */
const ANONYMOUS = {};

export function createUpstreamGate(options: UpstreamGateOptions): UpstreamGate {
  const now = options.now ?? (() => performance.now());
  const rate = options.ratePerSecond;
  /** Waiting attempts per requester; Map iteration order is the round-robin order. */
  const queues = new Map<object, Waiter[]>();
  const window = createSlidingWindow(now);
  const budget = options.budget;
  let inFlight = 0;
  let queued = 0;
  let timer: NodeJS.Timeout | undefined;
  /** A token request to the shared budget is out: one at a time. */
  let taking = false;

  const later = (ms: number) => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      pump();
    }, Math.ceil(ms));
  };

  /** The requester that has waited longest for a turn goes first, then to the back of the rotation. */
  function grantNext(): void {
    const next = queues.entries().next().value;
    if (next === undefined) return;
    const [requester, queue] = next;
    const waiter = queue.shift();
    queues.delete(requester);
    if (queue.length > 0) queues.set(requester, queue);
    if (waiter === undefined) return;
    queued -= 1;
    inFlight += 1;
    let released = false;
    waiter.grant(() => {
      if (released) return;
      released = true;
      inFlight -= 1;
      pump();
    });
  }

  function pump(): void {
    while (inFlight < options.maxConcurrency && queued > 0 && !taking) {
      if (budget !== undefined && rate > 0) {
        // Told to wait: ask the shared budget again only when the wait is over.
        if (timer !== undefined) return;
        taking = true;
        budget.take().then(
          (wait) => {
            taking = false;
            if (wait > 0) {
              later(wait);
              return;
            }
            grantNext();
            pump();
          },
          () => {
            // A budget that cannot answer refuses nothing forever: try again shortly.
            taking = false;
            later(50);
          },
        );
        return;
      }
      const wait = window.take(rate);
      if (wait > 0) {
        later(wait);
        return;
      }
      grantNext();
    }
  }

  return {
    acquire(requester, signal) {
      if (signal?.aborted === true) return Promise.reject(abortReason(signal));
      return new Promise((resolve, reject) => {
        const key = requester ?? ANONYMOUS;
        const onAbort = () => {
          const queue = queues.get(key);
          const index = queue?.indexOf(waiter) ?? -1;
          if (queue !== undefined && index >= 0) {
            queue.splice(index, 1);
            queued -= 1;
            if (queue.length === 0) queues.delete(key);
          }
          reject(abortReason(signal));
        };
        const waiter: Waiter = {
          requester: key,
          grant(release) {
            signal?.removeEventListener('abort', onAbort);
            resolve(release);
          },
        };
        // Listen before queueing: pump() below may grant at once, and the grant removes the listener.
        signal?.addEventListener('abort', onAbort, { once: true });
        const queue = queues.get(key);
        if (queue === undefined) queues.set(key, [waiter]);
        else queue.push(waiter);
        queued += 1;
        pump();
      });
    },
    stats: () => ({ inFlight, queued, waitingRequesters: queues.size }),
  };
}

/** Abort reasons are Errors here (a DOMException, or the order deadline's SectigoError); anything else is wrapped. */
function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}
