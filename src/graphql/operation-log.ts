/** One log line per GraphQL operation, with the upstream work it caused, and the operation metrics. */
import type { ApolloServerPlugin } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import { traceFields } from '../tracing.js';
import type { RequestContext } from './context.js';
import { codeOf } from './errors.js';

export function operationLog(logger: Logger, metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, errors, response }) {
          const body = response.body;
          const responseErrors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          const failed = (errors?.length ?? 0) > 0 || responseErrors.length > 0;
          metrics.operation(failed ? 'error' : 'success');
          const codes = responseErrors.map(codeOf);
          for (const code of codes) metrics.responseError(code);
          // Absent when the request failed before its context was made (a body Apollo refused).
          const orders = contextValue.orders as RequestContext['orders'] | undefined;
          const counts = orders?.counts;
          if (orders !== undefined && counts !== undefined) {
            for (const source of ['cache', 'shared', 'coalesced', 'upstream', 'stale'] as const) metrics.load(source, 'ok', counts[source]);
            metrics.load('upstream', 'error', orders.failures.upstream);
            metrics.load('coalesced', 'error', orders.failures.coalesced);
          }
          logger.info(
            {
              event: 'graphql_operation',
              operationName: operationName ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              // Attempts made for this request, failed ones and retries included.
              upstreamCalls: orders?.upstream.calls ?? 0,
              upstreamFailures: orders?.upstream.failures ?? 0,
              failedLoads: (orders?.failures.upstream ?? 0) + (orders?.failures.coalesced ?? 0),
              cacheHits: counts?.cache ?? 0,
              sharedHits: counts?.shared ?? 0,
              coalesced: counts?.coalesced ?? 0,
              stale: counts?.stale ?? 0,
              errorCodes: codes.map((code) => (code === 'none' ? null : code)),
              // The operation's own span (the active one here is the HTTP request's).
              ...traceFields(trace.getSpan(contextValue.trace.context)),
            },
            'graphql operation',
          );
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
