/**
 * The upstream policy around one order fetch: a total deadline, retries with
 * jittered backoff for transient failures only, a circuit breaker, a hard
 * back-off after -16, and an optional rate limit. Sectigo can block the
 * account's IP, so every rule here errs towards calling less.
 *
 *   deadline( retry( breaker( rate limit( one attempt ) ) ) )
 *
 * Retried: timeouts, connection failures, HTTP 5xx, -14. Never retried:
 * -2/-3/-4/-16/-17 and every other answer (retrying cannot change them).
 */
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import pThrottle from 'p-throttle';
import type { SectigoClient, UpstreamAnswer } from './client.js';
import type { DetailLevel } from './detail.js';
import { SectigoError } from './errors.js';
import type { OrderRef } from './ids.js';

export interface ResilienceOptions {
  /** Total time one order may take, all attempts and backoff included. */
  readonly deadlineMs: number;
  /** Retries after the first attempt (0 = none). */
  readonly retries: number;
  /** First backoff delay; later ones grow exponentially with decorrelated jitter. */
  readonly retryBaseMs: number;
  /** Consecutive transient failures that open the circuit. */
  readonly breakerFailures: number;
  /** How long the circuit stays open before one trial call. */
  readonly breakerHalfOpenMs: number;
  /** After -16, no call for this long (doubling on repeats, up to 16x). */
  readonly authBackoffMs: number;
  /** Upstream calls per second at most; 0 = no limit. */
  readonly rateLimitPerSecond: number;
  readonly now?: () => number;
  readonly events?: ResilienceEvents;
}

export interface ResilienceEvents {
  retry?(attempt: number, delayMs: number, code: string): void;
  circuit?(state: UpstreamCircuitState): void;
  /** A call refused locally, without reaching the upstream. */
  rejected?(reason: 'circuit_open' | 'auth_backoff'): void;
}

export type UpstreamCircuitState = 'closed' | 'open' | 'half-open';

export interface ResilientClient extends SectigoClient {
  circuitState(): UpstreamCircuitState;
}

function isTransient(error: unknown): boolean {
  return error instanceof SectigoError && error.isTransient;
}

function toState(state: CircuitState): UpstreamCircuitState {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
  }
}

export function createResilientClient(client: SectigoClient, options: ResilienceOptions): ResilientClient {
  const now = options.now ?? Date.now;
  const events = options.events ?? {};

  const breaker = circuitBreaker(handleWhen(isTransient), {
    halfOpenAfter: options.breakerHalfOpenMs,
    breaker: new ConsecutiveBreaker(options.breakerFailures),
  });
  breaker.onStateChange((state) => events.circuit?.(toState(state)));

  const retryPolicy = retry(handleWhen(isTransient), {
    maxAttempts: options.retries,
    backoff: new ExponentialBackoff({ initialDelay: options.retryBaseMs, maxDelay: Math.max(options.retryBaseMs, 5_000) }),
  });
  retryPolicy.onRetry((event) => {
    const code = 'error' in event && event.error instanceof SectigoError ? event.error.code : 'unknown';
    events.retry?.(event.attempt, event.delay, code);
  });

  // abortOnReturn off: by default cockatiel aborts its signal after every
  // successful call, building a DOMException each time (4% of a cold
  // request's CPU in the bench profile) for a signal nobody holds any more.
  const deadline = timeout(options.deadlineMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  const policy = wrap(deadline, retryPolicy, breaker);

  const attempt =
    options.rateLimitPerSecond > 0
      ? pThrottle({ limit: options.rateLimitPerSecond, interval: 1_000 })(
          (ref: OrderRef, level: DetailLevel, signal: AbortSignal) => client.fetchOrder(ref, level, signal),
        )
      : (ref: OrderRef, level: DetailLevel, signal: AbortSignal) => client.fetchOrder(ref, level, signal);

  // -16 means wrong credentials, a locked account or a blocked IP: more calls
  // make it worse. Refuse locally until the back-off ends.
  let authFailures = 0;
  let authBlockedUntil = 0;

  return {
    circuitState: () => toState(breaker.state),

    async fetchOrder(ref, level, signal): Promise<UpstreamAnswer> {
      if (now() < authBlockedUntil) {
        events.rejected?.('auth_backoff');
        throw new SectigoError(
          'SECTIGO_AUTH_FAILED',
          'Sectigo refused the login recently (-16); not calling again until the back-off ends',
          { sectigoErrorCode: -16 },
        );
      }
      try {
        const answer = await policy.execute(({ signal: policySignal }) => {
          const combined = signal === undefined ? policySignal : AbortSignal.any([signal, policySignal]);
          return attempt(ref, level, combined);
        }, signal);
        authFailures = 0;
        return answer;
      } catch (error) {
        // Escalate once per back-off window: calls that were already in flight
        // when the first -16 came back are the same incident, not repeats.
        if (error instanceof SectigoError && error.code === 'SECTIGO_AUTH_FAILED' && now() >= authBlockedUntil) {
          authFailures += 1;
          authBlockedUntil = now() + options.authBackoffMs * 2 ** Math.min(authFailures - 1, 4);
        }
        if (error instanceof BrokenCircuitError) {
          events.rejected?.('circuit_open');
          throw new SectigoError('SECTIGO_CIRCUIT_OPEN', 'Sectigo is failing repeatedly; calls are paused for a moment', { cause: error });
        }
        if (error instanceof TaskCancelledError && signal?.aborted !== true) {
          throw new SectigoError('SECTIGO_TIMEOUT', `Sectigo did not answer within the ${options.deadlineMs} ms deadline`, { cause: error });
        }
        throw error;
      }
    },

    close: () => client.close(),
  };
}
