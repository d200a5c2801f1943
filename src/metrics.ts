/**
 * Prometheus metrics. One registry per subgraph instance (not prom-client's
 * global one) so several instances can live in one process, as tests do.
 * Labels are low-cardinality by construction: no order numbers, no accounts.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamCallEvent } from './sectigo/client.js';
import type { FailedLoadSource, LoadSource, OrderStoreStats } from './loading/order-store.js';
import type { UpstreamGateStats } from './sectigo/gate.js';
import type { AuthBackoffState, UpstreamCircuitState } from './sectigo/resilience.js';
import type { SharedRateState } from './coordination/shared-rate.js';

/** Read at scrape time. */
export interface MetricSources {
  store(): OrderStoreStats;
  upstream(): UpstreamGateStats;
  circuit(): UpstreamCircuitState;
  authBackoff(): AuthBackoffState;
  rateLimiter(): SharedRateState;
  sharedTier(): 'off' | 'connected' | 'disconnected';
}

export interface Metrics {
  readonly registry: Registry;
  upstreamCall(event: UpstreamCallEvent): void;
  load(source: LoadSource | FailedLoadSource, outcome: 'ok' | 'error', count?: number): void;
  /** Every error sent to a client, by its `extensions.code`. */
  responseError(code: string): void;
  /** An error of ours that was masked as INTERNAL_SERVER_ERROR, by its own code or class name. */
  unexpected(code: string): void;
  eviction(): void;
  operation(outcome: 'success' | 'error'): void;
  retry(code: string): void;
  rejected(reason: 'circuit_open' | 'auth_backoff'): void;
  sharedTierError(operation: string): void;
}

const CIRCUIT_VALUE: Record<UpstreamCircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function createMetrics(sources: MetricSources, options: { defaultMetrics: boolean }): Metrics {
  const stats = () => sources.store();
  const registry = new Registry();
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
    help:
      'Order loads by source (cache: memory hit, shared: Redis hit, coalesced: shared an in-flight fetch, upstream: fetched, stale: served past its TTL) and outcome (ok, or error: the load failed).',
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
  new Gauge({
    name: 'shared_cache_connected',
    help: 'Shared cache tier (Redis): 1 connected, 0 disconnected, -1 not configured.',
    registers: [registry],
    collect() {
      const state = sources.sharedTier();
      this.set(state === 'connected' ? 1 : state === 'disconnected' ? 0 : -1);
    },
  });
  new Gauge({
    name: 'sectigo_upstream_circuit_state',
    help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open.',
    registers: [registry],
    collect() {
      this.set(CIRCUIT_VALUE[sources.circuit()]);
    },
  });
  new Gauge({
    name: 'order_cache_bytes',
    help: 'Estimated bytes held by the cross-request cache.',
    registers: [registry],
    collect() {
      this.set(stats().bytes);
    },
  });
  new Gauge({
    name: 'order_cache_entries',
    help: 'Entries in the cross-request cache.',
    registers: [registry],
    collect() {
      this.set(stats().entries);
    },
  });
  new Gauge({
    name: 'sectigo_upstream_in_flight',
    help: 'Upstream attempts on the wire (each possibly shared by several requests).',
    registers: [registry],
    collect() {
      this.set(sources.upstream().inFlight);
    },
  });
  new Gauge({
    name: 'sectigo_upstream_queued',
    help: 'Upstream attempts waiting for their turn, a concurrency slot or a rate token.',
    registers: [registry],
    collect() {
      this.set(sources.upstream().queued);
    },
  });
  new Gauge({
    name: 'sectigo_upstream_waiting_requests',
    help: 'GraphQL requests with at least one upstream attempt waiting (turns go round-robin between them).',
    registers: [registry],
    collect() {
      this.set(sources.upstream().waitingRequesters);
    },
  });
  new Gauge({
    name: 'sectigo_upstream_auth_backoff_active',
    help: '1 while calls are refused after -16 (this replica heard it, or another one of the account did).',
    registers: [registry],
    collect() {
      this.set(sources.authBackoff().active ? 1 : 0);
    },
  });
  new Gauge({
    name: 'sectigo_upstream_auth_backoff_since_seconds',
    help: 'When the -16 back-off in force began (UNIX seconds; 0 when none is).',
    registers: [registry],
    collect() {
      const since = sources.authBackoff().since;
      this.set(since === null ? 0 : Date.parse(since) / 1000);
    },
  });
  new Gauge({
    name: 'sectigo_upstream_rate_limit_shared',
    help: '1 when the last upstream start was counted in the budget shared through Redis, 0 when locally.',
    registers: [registry],
    collect() {
      this.set(sources.rateLimiter().mode === 'shared' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'sectigo_upstream_rate_limit_per_second',
    help: 'Upstream starts per second: the account limit and this replica\'s local share (used while Redis is unreachable).',
    labelNames: ['scope'],
    registers: [registry],
    collect() {
      const state = sources.rateLimiter();
      this.set({ scope: 'account' }, state.limit);
      this.set({ scope: 'local_share' }, state.localShare);
    },
  });
  new Gauge({
    name: 'sectigo_replicas_seen',
    help: 'Replicas of this account seen alive through Redis at the last heartbeat (this one included).',
    registers: [registry],
    collect() {
      this.set(sources.rateLimiter().replicas);
    },
  });
  new Gauge({
    name: 'order_loads_in_flight',
    help: 'Orders being fetched (from the shared tier or the upstream), each possibly shared by several requests.',
    registers: [registry],
    collect() {
      this.set(stats().inFlight);
    },
  });

  return {
    registry,
    upstreamCall(event) {
      const queryType = String(event.level.queryType);
      upstreamCalls.inc({ outcome: event.outcome, query_type: queryType, show_validity_period: event.level.showValidityPeriod ? 'Y' : 'N' });
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
      operations.inc({ outcome });
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
  };
}

/** Codes come from our code and libraries, not clients; still, keep a label short and plain. */
function boundedLabel(code: string): string {
  const plain = code.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 48);
  return plain === '' ? 'unknown' : plain;
}
