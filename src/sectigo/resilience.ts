/**
 * The upstream policy around one order fetch. Sectigo can block the
 * account's IP, so every rule here errs towards calling less:
 *
 *   for each attempt:  -16 back-off?  circuit?  → gate (fair turn, slot,
 *   rate token) → one attempt → slot released → verdict to the breaker
 *   between attempts:  jittered back-off, holding no slot
 *
 * Retried: timeouts, connection failures, HTTP 5xx, -14. Never retried:
 * -2/-3/-4/-16/-17 and every other answer (retrying cannot change them).
 *
 * The deadline is not armed here: the caller's signal (the order store's one
 * deadline for the order, loading/deadline.ts) bounds the waits, the attempts
 * and the back-offs, and its reason is the error reported. One attempt is
 * bounded by the client's own UPSTREAM_TIMEOUT_MS.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createBreaker, type AttemptVerdict, type CircuitState } from './breaker.js';
import type { UpstreamAnswer } from './answer.js';
import type { SectigoClient, UpstreamCall } from './client.js';
import { SectigoError } from './errors.js';
import type { UpstreamGate } from './gate.js';
import { orderRefKey } from './ids.js';

export interface ResilienceOptions {
  /** Retries after the first attempt (0 = none). */
  readonly retries: number;
  /** First backoff delay; later ones grow with decorrelated jitter, up to 5 s. */
  readonly retryBaseMs: number;
  /** Distinct orders failing with "upstream down" within the window that open the circuit. */
  readonly breakerFailures: number;
  readonly breakerWindowMs: number;
  /** How long the circuit stays open before one trial call. */
  readonly breakerHalfOpenMs: number;
  /** After -16, no call for this long (doubling on repeats, up to 16x). */
  readonly authBackoffMs: number;
  /** Where every attempt waits for its turn, a slot and a rate token. */
  readonly gate: UpstreamGate;
  /** The back-off shared with the other replicas of the account (Redis), if any. */
  readonly sharedAuthBackoff?: SharedAuthBackoff;
  /** Monotonic milliseconds; injectable for tests. */
  readonly now?: () => number;
  /** Random in [0, 1); injectable for tests. */
  readonly random?: () => number;
  readonly events?: ResilienceEvents;
}

export interface ResilienceEvents {
  retry?(attempt: number, delayMs: number, code: string): void;
  circuit?(state: UpstreamCircuitState): void;
  /** A call refused locally, without reaching the upstream. */
  rejected?(reason: 'circuit_open' | 'auth_backoff'): void;
}

export type UpstreamCircuitState = CircuitState;

/** A -16 incident, in wall-clock milliseconds (it is shared between processes). */
export interface AuthBackoffRecord {
  readonly since: number;
  readonly until: number;
  /** Incidents in a row: the back-off doubles with each, up to 16x. */
  readonly incidents: number;
}

export interface SharedAuthBackoff {
  /** The incident in force for the account, if any. */
  current(): Promise<AuthBackoffRecord | undefined>;
  /** This replica heard -16: starts an incident, or returns the one already in force. */
  report(): Promise<AuthBackoffRecord>;
}

export interface AuthBackoffState {
  readonly active: boolean;
  /** ISO-8601, when the back-off in force began. */
  readonly since: string | null;
  readonly until: string | null;
}

export interface ResilientClient extends SectigoClient {
  circuitState(): UpstreamCircuitState;
  authBackoffState(): AuthBackoffState;
}

const MAX_BACKOFF_MS = 5_000;

/** What an attempt's outcome says about the upstream as a whole. */
function verdictOf(error: unknown): AttemptVerdict {
  if (!(error instanceof SectigoError)) return 'neutral'; // our own abort, or a bug of ours
  if (error.sectigoErrorCode !== undefined || error.code === 'SECTIGO_WRONG_ORDER') return 'up'; // Sectigo answered
  return error.isUnavailable ? 'down' : 'neutral';
}

export function createResilientClient(client: SectigoClient, options: ResilienceOptions): ResilientClient {
  const now = options.now ?? (() => performance.now());
  const random = options.random ?? Math.random;
  const events = options.events ?? {};
  const breaker = createBreaker({
    failures: options.breakerFailures,
    windowMs: options.breakerWindowMs,
    halfOpenMs: options.breakerHalfOpenMs,
    now,
    onStateChange: (state) => events.circuit?.(state),
  });

  // -16 means wrong credentials, a locked account or a blocked IP: more calls
  // make it worse. Refuse locally until the back-off ends.
  let authFailures = 0;
  /** On the monotonic clock. */
  let authBlockedUntil = 0;
  /** Wall clock, for people. */
  let authSince = 0;
  let authUntilWall = 0;
  const shared = options.sharedAuthBackoff;

  /** Takes on an incident another replica (or this one, through Redis) recorded. */
  function adopt(record: AuthBackoffRecord): void {
    const until = now() + (record.until - Date.now());
    if (until > authBlockedUntil) {
      authBlockedUntil = until;
      authSince = record.since;
      authUntilWall = record.until;
    }
    authFailures = Math.max(authFailures, record.incidents);
  }

  async function refuseIfBlockedAnywhere(): Promise<void> {
    refuseIfBlocked();
    if (shared === undefined) return;
    const record = await shared.current();
    if (record !== undefined) adopt(record);
    refuseIfBlocked();
  }

  function refuseIfBlocked(): void {
    if (now() < authBlockedUntil) {
      events.rejected?.('auth_backoff');
      throw new SectigoError('SECTIGO_AUTH_FAILED', 'Sectigo refused the login recently (-16); not calling again until the back-off ends', {
        sectigoErrorCode: -16,
      });
    }
  }

  function circuitOpen(): SectigoError {
    events.rejected?.('circuit_open');
    return new SectigoError('SECTIGO_CIRCUIT_OPEN', 'Sectigo is failing for many orders; calls are paused for a moment');
  }

  async function noteAuthFailure(error: unknown): Promise<void> {
    if (!(error instanceof SectigoError && error.code === 'SECTIGO_AUTH_FAILED')) return;
    // Escalate once per back-off window: calls that were already in flight
    // when the first -16 came back are the same incident, not repeats.
    if (now() >= authBlockedUntil) {
      authFailures += 1;
      const durationMs = options.authBackoffMs * 2 ** Math.min(authFailures - 1, 4);
      authBlockedUntil = now() + durationMs;
      authSince = Date.now();
      authUntilWall = authSince + durationMs;
    }
    // Tell the other replicas; the shared record decides the doubling.
    if (shared !== undefined) adopt(await shared.report());
  }

  async function attempt(
    ref: Parameters<SectigoClient['fetchOrder']>[0],
    level: Parameters<SectigoClient['fetchOrder']>[1],
    call: UpstreamCall,
    retry: number,
  ) {
    refuseIfBlocked();
    if (breaker.isRefusing()) throw circuitOpen();
    const release = await options.gate.acquire(call.requester ?? client, call.signal);
    const key = orderRefKey(ref);
    try {
      // The wait may have been long: ask again (another replica may have heard -16), and take the half-open trial here.
      await refuseIfBlockedAnywhere();
      if (!breaker.admit(key)) throw circuitOpen();
      try {
        const answer = await client.fetchOrder(ref, level, {
          retry,
          ...(call.signal === undefined ? {} : { signal: call.signal }),
          ...(call.requester === undefined ? {} : { requester: call.requester }),
        });
        breaker.record(key, 'up');
        authFailures = 0;
        return answer;
      } catch (error) {
        // Our own deadline or shutdown ending the attempt (its reason is the error) says nothing about Sectigo.
        breaker.record(key, call.signal !== undefined && error === call.signal.reason ? 'neutral' : verdictOf(error));
        await noteAuthFailure(error);
        throw error;
      }
    } finally {
      release();
    }
  }

  return {
    circuitState: () => breaker.state(),
    authBackoffState() {
      const active = now() < authBlockedUntil;
      return {
        active,
        since: active ? new Date(authSince).toISOString() : null,
        until: active ? new Date(authUntilWall).toISOString() : null,
      };
    },

    async fetchOrder(ref, level, call = {}): Promise<UpstreamAnswer> {
      let delay = options.retryBaseMs;
      for (let retry = 0; ; retry += 1) {
        try {
          return await attempt(ref, level, call, retry);
        } catch (error) {
          const transient = error instanceof SectigoError && error.isTransient;
          if (!transient || retry >= options.retries || call.signal?.aborted === true) throw error;
          // Decorrelated jitter: between the base and three times the last delay.
          delay = Math.min(MAX_BACKOFF_MS, options.retryBaseMs + random() * (delay * 3 - options.retryBaseMs));
          events.retry?.(retry + 1, delay, error.code);
          // Abortable: the order's deadline ends the back-off too.
          await sleep(delay, undefined, call.signal === undefined ? undefined : { signal: call.signal });
        }
      }
    },

    close: () => client.close(),
  };
}
