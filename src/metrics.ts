/**
 * Prometheus metrics. One registry per subgraph instance (not prom-client's
 * global one) so several instances can live in one process, as tests do.
 * Labels are low-cardinality by construction: no order numbers, no accounts.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamCallEvent } from './sectigo/client.js';
import type { AnswerSource } from './sectigo/answer.js';
import type { FailedLoadSource, OrderStoreStats } from './loading/order-store.js';
import type { UpstreamGateStats } from './sectigo/gate.js';
import type { AuthBackoffState, UpstreamCircuitState } from './sectigo/resilience.js';
import type { SharedRateState } from './coordination/shared-rate.js';

/** Read at scrape time. */
export interface MetricSources {
  store(): OrderStoreStats;
  responseCache(): { readonly entries: number; readonly bytes: number };
  upstream(): UpstreamGateStats;
  circuit(): UpstreamCircuitState;
  authBackoff(): AuthBackoffState;
  rateLimiter(): SharedRateState;
  sharedTier(): 'off' | 'connected' | 'disconnected';
}

export interface Metrics {
  readonly registry: Registry;
  /**
   * The parts whose state the gauges report, read at scrape time. Called
   * once they exist (the metrics are made first: the parts report events to
   * them); until then the gauges stay empty.
   */
  observe(sources: MetricSources): void;
  upstreamCall(event: UpstreamCallEvent): void;
  load(source: AnswerSource | FailedLoadSource, outcome: 'ok' | 'error', count?: number): void;
  /** Every error sent to a client, by its `extensions.code`. */
  responseError(code: string): void;
  /** An error of ours that was masked as INTERNAL_SERVER_ERROR, by its own code or class name. */
  unexpected(code: string): void;
  eviction(): void;
  operation(outcome: 'success' | 'error'): void;
  retry(code: string): void;
  rejected(reason: 'circuit_open' | 'auth_backoff'): void;
  sharedTierError(operation: string): void;
  /** A lookup of the response cache: hit, miss, or expired (found, but an order it holds is no longer served). */
  responseCache(result: 'hit' | 'miss' | 'expired'): void;
}

const CIRCUIT_VALUE: Record<UpstreamCircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function createMetrics(options: { defaultMetrics: boolean }): Metrics {
  let sources: MetricSources | undefined;
  const registry = new Registry();
  /** A gauge whose value is read from the observed parts at scrape time. */
  const gauge = (
    name: string,
    help: string,
    read: (from: MetricSources, set: (value: number, labels?: Record<string, string>) => void) => void,
    labelNames: readonly string[] = [],
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        if (sources === undefined) return;
        read(sources, (value, labels) => (labels === undefined ? this.set(value) : this.set(labels, value)));
      },
    });
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });

  const upstreamCalls = new Counter({
    name: 'sectigo_upstream_calls_total',
    help: 'Calls to !GetDetailedOrderStatus by outcome (ok or a SECTIGO_* error code) and queryType.',
    labelNames: ['outcome', 'query_type', 'show_validity_period'] as const,
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'sectigo_upstream_call_duration_seconds',
    help: 'Duration of one upstream attempt, connect to last byte.',
    labelNames: ['query_type'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const upstreamBytes = new Counter({
    name: 'sectigo_upstream_response_bytes_total',
    help: 'Bytes received from the upstream.',
    registers: [registry],
  });
  const loads = new Counter({
    name: 'order_loads_total',
    help: 'Order loads by source (cache: memory hit, shared: Redis hit, coalesced: shared an in-flight fetch, upstream: fetched, stale: served past its TTL) and outcome (ok, or error: the load failed).',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  });
  const responseErrors = new Counter({
    name: 'graphql_response_errors_total',
    help: 'Errors sent to clients, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const unexpectedErrors = new Counter({
    name: 'graphql_unexpected_errors_total',
    help: 'Errors of ours masked as INTERNAL_SERVER_ERROR, by their own code (or class name): each one is a bug to look at.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const evictions = new Counter({
    name: 'order_cache_evictions_total',
    help: 'Entries pushed out of the cross-request cache by its byte bound.',
    registers: [registry],
  });
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by outcome (error: the response carried at least one error).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const operationsBy = { success: operations.labels('success'), error: operations.labels('error') };
  const retries = new Counter({
    name: 'sectigo_upstream_retries_total',
    help: 'Retries of transient upstream failures, by the failure retried.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'sectigo_upstream_rejected_total',
    help: 'Upstream calls refused locally: circuit open, or back-off after -16.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const sharedErrors = new Counter({
    name: 'shared_cache_errors_total',
    help: 'Redis operations of the shared cache tier that failed or timed out (each fell back to memory and upstream).',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  gauge('shared_cache_connected', 'Shared cache tier (Redis): 1 connected, 0 disconnected, -1 not configured.', (from, set) => {
    const state = from.sharedTier();
    set(state === 'connected' ? 1 : state === 'disconnected' ? 0 : -1);
  });
  gauge('sectigo_upstream_circuit_state', 'Circuit breaker state: 0 closed, 1 half-open, 2 open.', (from, set) =>
    set(CIRCUIT_VALUE[from.circuit()]),
  );
  const responseCacheLookups = new Counter({
    name: 'graphql_response_cache_lookups_total',
    help: 'Lookups of the response cache: hit, miss, or expired (an order the response holds is no longer served).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  // Bound once: these are counted on every request of the warm path.
  const lookups = {
    hit: responseCacheLookups.labels('hit'),
    miss: responseCacheLookups.labels('miss'),
    expired: responseCacheLookups.labels('expired'),
  };
  gauge('graphql_response_cache_entries', 'Responses held by the response cache.', (from, set) => set(from.responseCache().entries));
  gauge('graphql_response_cache_bytes', 'Estimated bytes held by the response cache.', (from, set) => set(from.responseCache().bytes));
  gauge('order_cache_bytes', 'Estimated bytes held by the cross-request cache.', (from, set) => set(from.store().bytes));
  gauge('order_cache_entries', 'Entries in the cross-request cache.', (from, set) => set(from.store().entries));
  gauge('sectigo_upstream_in_flight', 'Upstream attempts on the wire (each possibly shared by several requests).', (from, set) =>
    set(from.upstream().inFlight),
  );
  gauge('sectigo_upstream_queued', 'Upstream attempts waiting for their turn, a concurrency slot or a rate token.', (from, set) =>
    set(from.upstream().queued),
  );
  gauge(
    'sectigo_upstream_waiting_requests',
    'GraphQL requests with at least one upstream attempt waiting (turns go round-robin between them).',
    (from, set) => set(from.upstream().waitingRequesters),
  );
  gauge(
    'sectigo_upstream_auth_backoff_active',
    '1 while calls are refused after -16 (this replica heard it, or another one of the account did).',
    (from, set) => set(from.authBackoff().active ? 1 : 0),
  );
  gauge(
    'sectigo_upstream_auth_backoff_since_seconds',
    'When the -16 back-off in force began (UNIX seconds; 0 when none is).',
    (from, set) => {
      const since = from.authBackoff().since;
      set(since === null ? 0 : Date.parse(since) / 1000);
    },
  );
  gauge(
    'sectigo_upstream_rate_limit_shared',
    '1 when the last upstream start was counted in the budget shared through Redis, 0 when locally.',
    (from, set) => set(from.rateLimiter().mode === 'shared' ? 1 : 0),
  );
  gauge(
    'sectigo_upstream_rate_limit_per_second',
    "Upstream starts per second: the account limit and this replica's local share (used while Redis is unreachable).",
    (from, set) => {
      const state = from.rateLimiter();
      set(state.limit, { scope: 'account' });
      set(state.localShare, { scope: 'local_share' });
    },
    ['scope'],
  );
  gauge(
    'sectigo_replicas_seen',
    'Replicas of this account seen alive through Redis at the last heartbeat (this one included).',
    (from, set) => set(from.rateLimiter().replicas),
  );
  gauge(
    'order_loads_in_flight',
    'Orders being fetched (from the shared tier or the upstream), each possibly shared by several requests.',
    (from, set) => set(from.store().inFlight),
  );

  return {
    registry,
    observe(observed) {
      sources = observed;
    },
    upstreamCall(event) {
      const queryType = String(event.level.queryType);
      upstreamCalls.inc({
        outcome: event.outcome,
        query_type: queryType,
        show_validity_period: event.level.showValidityPeriod ? 'Y' : 'N',
      });
      upstreamDuration.observe({ query_type: queryType }, event.durationMs / 1000);
      upstreamBytes.inc(event.bytes);
    },
    load(source, outcome, count = 1) {
      if (count > 0) loads.inc({ source, outcome }, count);
    },
    responseError(code) {
      responseErrors.inc({ code: boundedLabel(code) });
    },
    unexpected(code) {
      unexpectedErrors.inc({ code: boundedLabel(code) });
    },
    eviction() {
      evictions.inc();
    },
    operation(outcome) {
      operationsBy[outcome].inc();
    },
    retry(code) {
      retries.inc({ outcome: code });
    },
    rejected(reason) {
      rejected.inc({ reason });
    },
    sharedTierError(operation) {
      sharedErrors.inc({ operation });
    },
    responseCache(result) {
      lookups[result].inc();
    },
  };
}

/** Codes come from our code and libraries, not clients; still, keep a label short and plain. */
function boundedLabel(code: string): string {
  const plain = code.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 48);
  return plain === '' ? 'unknown' : plain;
}
