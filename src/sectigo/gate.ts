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
 * any 1000 ms (0 = no rate limit).
 */

export interface UpstreamGateOptions {
  /** Attempts in flight at most. */
  readonly maxConcurrency: number;
  /** Attempts started per second at most; 0 = unlimited. */
  readonly ratePerSecond: number;
  /** Monotonic milliseconds; injectable for tests. */
  readonly now?: () => number;
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
  /** Start times of the last `rate` attempts, oldest first. */
  const starts: number[] = [];
  let inFlight = 0;
  let queued = 0;
  let timer: NodeJS.Timeout | undefined;

  /** Milliseconds until the window has room for one more start (0: now). */
  function rateWait(): number {
    if (rate <= 0 || starts.length < rate) return 0;
    return Math.max(0, (starts[0] ?? 0) + WINDOW_MS - now());
  }

  function pump(): void {
    while (inFlight < options.maxConcurrency && queued > 0) {
      const wait = rateWait();
      if (wait > 0) {
        if (timer === undefined) {
          timer = setTimeout(() => {
            timer = undefined;
            pump();
          }, Math.ceil(wait));
        }
        return;
      }
      // The requester that has waited longest for a turn goes first; it
      // moves to the back of the rotation if it still has attempts waiting.
      const [requester, queue] = queues.entries().next().value as [object, Waiter[]];
      const waiter = queue.shift() as Waiter;
      queues.delete(requester);
      if (queue.length > 0) queues.set(requester, queue);
      queued -= 1;
      if (rate > 0) {
        starts.push(now());
        if (starts.length > rate) starts.shift();
      }
      inFlight += 1;
      let released = false;
      waiter.grant(() => {
        if (released) return;
        released = true;
        inFlight -= 1;
        pump();
      });
    }
  }

  return {
    acquire(requester, signal) {
      if (signal?.aborted === true) return Promise.reject(signal.reason);
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
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          requester: key,
          grant(release) {
            signal?.removeEventListener('abort', onAbort);
            resolve(release);
          },
        };
        const queue = queues.get(key);
        if (queue === undefined) queues.set(key, [waiter]);
        else queue.push(waiter);
        queued += 1;
        signal?.addEventListener('abort', onAbort, { once: true });
        pump();
      });
    },
    stats: () => ({ inFlight, queued, waitingRequesters: queues.size }),
  };
}
