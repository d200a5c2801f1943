/** One log line per GraphQL operation, with the upstream work it caused, and the operation metrics. */
import type { ApolloServerPlugin } from '@apollo/server';
import { trace, type Span } from '@opentelemetry/api';
import { unredacted, type Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import { traceFields } from '../tracing.js';
import type { RequestContext } from './context.js';
import { codeOf } from './errors.js';

/** What one operation's log line and metrics say. */
export interface OperationSummary {
  readonly operationName: string | null;
  readonly durationMs: number;
  readonly failed: boolean;
  /** Each error's extensions.code, 'none' when it has none. */
  readonly codes: readonly string[];
  readonly orders: Pick<RequestContext['orders'], 'counts' | 'failures' | 'upstream'> | undefined;
  /** Served whole from the response cache (src/http/response-cache.ts). */
  readonly responseCacheHit?: boolean;
  readonly span: Span | undefined;
}

const SOURCES = ['cache', 'shared', 'coalesced', 'upstream', 'stale'] as const;

/** One operation's metrics and its one info log line, from Apollo's pipeline or the response cache alike. */
export function recordOperation(logger: Logger, metrics: Metrics, summary: OperationSummary): void {
  const { orders, codes } = summary;
  metrics.operation(summary.failed ? 'error' : 'success');
  for (const code of codes) metrics.responseError(code);
  const counts = orders?.counts;
  if (orders !== undefined && counts !== undefined) {
    for (const source of SOURCES) if (counts[source] > 0) metrics.load(source, 'ok', counts[source]);
    if (orders.failures.upstream > 0) metrics.load('upstream', 'error', orders.failures.upstream);
    if (orders.failures.coalesced > 0) metrics.load('coalesced', 'error', orders.failures.coalesced);
  }
  if (!logger.isLevelEnabled('info')) return;
  // Every field is a number, a code or the client's own operation name, built here: nothing to redact.
  unredacted(logger).info(
    {
      event: 'graphql_operation',
      operationName: summary.operationName,
      durationMs: Math.round(summary.durationMs * 10) / 10,
      // Attempts made for this request, failed ones and retries included.
      upstreamCalls: orders?.upstream.calls ?? 0,
      upstreamFailures: orders?.upstream.failures ?? 0,
      failedLoads: (orders?.failures.upstream ?? 0) + (orders?.failures.coalesced ?? 0),
      cacheHits: counts?.cache ?? 0,
      sharedHits: counts?.shared ?? 0,
      coalesced: counts?.coalesced ?? 0,
      stale: counts?.stale ?? 0,
      responseCache: summary.responseCacheHit === true ? 'hit' : 'miss',
      errorCodes: codes.map((code) => (code === 'none' ? null : code)),
      // The operation's own span (the active one here is the HTTP request's).
      ...traceFields(summary.span),
    },
    'graphql operation',
  );
}

export function operationLog(logger: Logger, metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, errors, response }) {
          const body = response.body;
          const responseErrors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          // For the response cache, which logs a hit under the same name.
          const operation = (contextValue as Partial<RequestContext>).operation;
          if (operation !== undefined) operation.name = operationName ?? null;
          recordOperation(logger, metrics, {
            operationName: operationName ?? null,
            durationMs: performance.now() - started,
            failed: (errors?.length ?? 0) > 0 || responseErrors.length > 0,
            codes: responseErrors.map(codeOf),
            // Absent when the request failed before its context was made (a body Apollo refused).
            orders: contextValue.orders,
            span: contextValue.trace === undefined ? undefined : trace.getSpan(contextValue.trace.context),
          });
        },
      };
    },
  };
}

/** Says so in the response when an answer is past its TTL (stale-if-error): `extensions.staleOrders`. */
export function staleOrdersExtension(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const staleOrders = (contextValue.orders as RequestContext['orders'] | undefined)?.staleOrders ?? [];
          if (staleOrders.length === 0 || response.body.kind !== 'single') return;
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, staleOrders: [...staleOrders] };
        },
      };
    },
  };
}
