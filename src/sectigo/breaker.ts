/**
 * The circuit breaker, for upstream-wide trouble only.
 *
 * It opens when `failures` *distinct* orders failed with an "upstream down"
 * signal (timeout, connection failure, HTTP 5xx) within `windowMs` and no
 * call succeeded since. One order's retries, or one poison order asked for
 * again and again, count once. Any answer from Sectigo (-14 and every other
 * errorCode included) proves it is up and clears the count.
 *
 * Open: every call is refused at once. After `halfOpenMs` one trial call
 * goes through; the others are still refused at once (they never wait on
 * the trial). The trial's answer closes the circuit, its failure reopens it.
 *
 * cockatiel's breakers count calls, not distinct keys, which is exactly the
 * behaviour that made one bad order a global kill switch; this one is ours.
 */

export interface BreakerOptions {
  /** Distinct failing orders that open the circuit. */
  readonly failures: number;
  /** Failures older than this are forgotten. */
  readonly windowMs: number;
  /** How long the circuit stays open before one trial call. */
  readonly halfOpenMs: number;
  /** Monotonic milliseconds; injectable for tests. */
  readonly now?: () => number;
  readonly onStateChange?: (state: CircuitState) => void;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** What one attempt said about the upstream. */
export type AttemptVerdict = 'up' | 'down' | 'neutral';

type State =
  | { readonly kind: 'closed'; readonly failing: Map<string, number> }
  | { readonly kind: 'open'; readonly since: number }
  | { readonly kind: 'half-open'; readonly trial: string };

export interface Breaker {
  readonly state: () => CircuitState;
  /** Whether a call would be refused right now, without taking the trial. */
  isRefusing(): boolean;
  /** Whether a call for `key` may go now; in half-open the first caller becomes the trial. */
  admit(key: string): boolean;
  record(key: string, verdict: AttemptVerdict): void;
}

export function createBreaker(options: BreakerOptions): Breaker {
  const now = options.now ?? (() => performance.now());
  let state: State = { kind: 'closed', failing: new Map() };

  const moveTo = (next: State): void => {
    const changed = next.kind !== state.kind;
    state = next;
    if (changed) options.onStateChange?.(next.kind);
  };
  const close = () => moveTo({ kind: 'closed', failing: new Map() });
  const open = () => moveTo({ kind: 'open', since: now() });
  const trialDue = (since: number) => now() - since >= options.halfOpenMs;

  return {
    state: () => state.kind,

    isRefusing() {
      switch (state.kind) {
        case 'closed':
          return false;
        case 'open':
          return !trialDue(state.since);
        case 'half-open':
          return true;
      }
    },

    admit(key) {
      switch (state.kind) {
        case 'closed':
          return true;
        case 'open':
          if (!trialDue(state.since)) return false;
          moveTo({ kind: 'half-open', trial: key });
          return true;
        case 'half-open':
          return false;
      }
    },

    record(key, verdict) {
      switch (state.kind) {
        case 'closed': {
          if (verdict === 'up') {
            state.failing.clear();
            return;
          }
          if (verdict !== 'down') return;
          const at = now();
          for (const [failed, when] of state.failing) if (at - when > options.windowMs) state.failing.delete(failed);
          state.failing.set(key, at);
          if (state.failing.size >= options.failures) open();
          return;
        }
        case 'half-open':
          if (key !== state.trial) return;
          if (verdict === 'up') close();
          else open();
          return;
        case 'open':
          // A call admitted before the circuit opened got an answer: the upstream is back.
          if (verdict === 'up') close();
          return;
      }
    },
  };
}
