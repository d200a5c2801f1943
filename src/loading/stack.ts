/**
 * The loading stack, bottom up: the Sectigo client (one POST per attempt),
 * the upstream policy around it (gate, retries, breaker, -16 back-off), and
 * the order store (cache, coalescing, the one deadline per order) that
 * resolvers reach through a per-request loader.
 */
import type { Config } from '../config.js';
import type { Coordination } from '../coordination/index.js';
import { unredacted, type Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import { createSectigoClient, type SectigoCredentials, type UpstreamCallEvent } from '../sectigo/client.js';
import { createUpstreamGate, type UpstreamGate } from '../sectigo/gate.js';
import { createResilientClient, type ResilientClient } from '../sectigo/resilience.js';
import { createOrderStore, type OrderStore } from './order-store.js';

/** The upstream the subgraph talks to, resolved (main.ts swaps in the simulator when configured). */
export interface UpstreamTarget {
  readonly url: URL;
  readonly credentials: SectigoCredentials;
}

export interface LoadingStack {
  readonly gate: UpstreamGate;
  readonly client: ResilientClient;
  readonly store: OrderStore;
  /** Gives up every order still waiting on Sectigo (shutdown): each is answered UPSTREAM_UNAVAILABLE. */
  abandon(): void;
  /** Closes the upstream pool. */
  close(): Promise<void>;
}

export interface LoadingStackOptions {
  readonly config: Config;
  readonly upstream: UpstreamTarget;
  /** From `accountKey()`. */
  readonly accountKey: string;
  readonly coordination: Coordination;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The store's clock (monotonic ms); injectable for tests. */
  readonly now?: () => number;
}

export function createLoadingStack(options: LoadingStackOptions): LoadingStack {
  const { config, upstream, coordination, logger, metrics } = options;
  const sectigo = createSectigoClient({
    url: upstream.url,
    credentials: upstream.credentials,
    timeoutMs: config.upstreamTimeoutMs,
    maxConnections: config.upstreamMaxConnections,
    maxResponseBytes: config.upstreamMaxResponseBytes,
    responseFormat: config.responseFormat,
    onCall: logUpstreamCall(logger, metrics),
  });
  const gate = createUpstreamGate({
    maxConcurrency: config.upstreamMaxConcurrency,
    ratePerSecond: config.upstreamRateLimit,
    ...(coordination.sharedRate === undefined ? {} : { budget: coordination.sharedRate }),
  });
  const client = createResilientClient(sectigo, {
    retries: config.upstreamRetries,
    retryBaseMs: config.upstreamRetryBaseMs,
    breakerFailures: config.upstreamBreakerFailures,
    breakerWindowMs: config.upstreamBreakerWindowMs,
    breakerHalfOpenMs: config.upstreamBreakerHalfOpenMs,
    authBackoffMs: config.upstreamAuthBackoffMs,
    gate,
    ...(coordination.sharedAuthBackoff === undefined ? {} : { sharedAuthBackoff: coordination.sharedAuthBackoff }),
    events: {
      retry(attempt, delayMs, code) {
        metrics.retry(code);
        logger.warn(
          { event: 'upstream_retry', attempt, delayMs: Math.round(delayMs), outcome: code },
          'retrying a transient upstream failure',
        );
      },
      circuit(state) {
        logger.warn({ event: 'upstream_circuit', state }, `upstream circuit ${state}`);
      },
      rejected(reason) {
        metrics.rejected(reason);
      },
    },
  });
  const shutdown = new AbortController();
  const store = createOrderStore({
    client,
    accountKey: options.accountKey,
    cache: { ttlMs: config.cacheTtlMs, maxBytes: config.cacheMaxBytes, onEvict: () => metrics.eviction() },
    staleIfErrorMs: config.staleIfErrorMs,
    deadlineMs: config.upstreamDeadlineMs,
    shutdown: shutdown.signal,
    ...(coordination.sharedTier === undefined ? {} : { shared: coordination.sharedTier }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return {
    gate,
    client,
    store,
    abandon: () => shutdown.abort(),
    close: () => client.close(),
  };
}

/** The `upstream_call` log line and metrics of one finished attempt. */
function logUpstreamCall(logger: Logger, metrics: Metrics) {
  return (event: UpstreamCallEvent): void => {
    metrics.upstreamCall(event);
    // Order numbers, levels, codes and counts only: the unredacted line (logging.ts).
    unredacted(logger)[upstreamLogLevel(event)](
      {
        event: 'upstream_call',
        ...(event.ref.kind === 'orderNumber' ? { orderNumber: event.ref.orderNumber } : { certificateId: event.ref.certificateId }),
        queryType: event.level.queryType,
        showValidityPeriod: event.level.showValidityPeriod,
        durationMs: Math.round(event.durationMs * 10) / 10,
        outcome: event.outcome,
        sectigoErrorCode: event.sectigoErrorCode,
        bytes: event.bytes,
        retry: event.retry,
      },
      event.outcome === 'SECTIGO_AUTH_FAILED'
        ? 'upstream call refused with -16: check the credentials and the source IP allow-list; calls pause (UPSTREAM_AUTH_BACKOFF_MS) so the account is not locked'
        : 'upstream call',
    );
  };
}

/**
 * ok and Sectigo's ordinary "no such order" (-4) at info; the upstream
 * failing or refusing a request at warn; -16 (the account or its source IP
 * at risk) and our own failures at error.
 */
function upstreamLogLevel(event: UpstreamCallEvent): 'info' | 'warn' | 'error' {
  if (event.outcome === 'SECTIGO_AUTH_FAILED' || event.outcome === 'internal_error') return 'error';
  if (event.outcome === 'ok' || event.outcome === 'aborted' || event.sectigoErrorCode === -4) return 'info';
  return 'warn';
}
