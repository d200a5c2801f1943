/**
 * The subgraph's own spans, through `@opentelemetry/api` only: without a
 * registered SDK (telemetry.ts) every call here is a no-op. The span and
 * attribute names are one table, so the docs and the tests name the same
 * things. No span ever carries a credential or a request body.
 */
import { isSpanContextValid, trace, type Span, type Tracer } from '@opentelemetry/api';
import { SERVICE_NAME } from './telemetry.js';

// Got once: before the SDK registers, the API hands out a proxy tracer that
// delegates to the SDK's as soon as it does, so no lookup per span is needed.
const TRACER = trace.getTracer(SERVICE_NAME);

export function tracer(): Tracer {
  return TRACER;
}

export const SPAN = {
  /** One GraphQL operation (under the HTTP SERVER span); renamed `query OrderBadge` once the operation is known. */
  operation: 'GraphQL Operation',
  /** One order loaded for one request, whatever its source. */
  orderLoad: 'sectigo.order.load',
} as const;

export const ATTR = {
  operationType: 'graphql.operation.type',
  operationName: 'graphql.operation.name',
  errorCodes: 'graphql.error.codes',
  orderNumber: 'sectigo.order_number',
  certificateId: 'sectigo.certificate_id',
  /** memory | redis | coalesced | upstream | stale */
  loadSource: 'sectigo.load.source',
  queryType: 'sectigo.query_type',
  showValidityPeriod: 'sectigo.show_validity_period',
  /** ok, or the SECTIGO_* code of the failure. */
  outcome: 'sectigo.outcome',
  /** Sectigo's own negative errorCode, when it answered one. */
  sectigoErrorCode: 'sectigo.error_code',
  /** 0 for the first attempt, 1 for the first retry, ... */
  retry: 'sectigo.retry',
  /** `hit` on an operation answered whole from the response cache. */
  responseCache: 'graphql.response_cache',
} as const;

/** `trace_id`/`span_id` of the active span, for log lines; empty when no trace is recording. */
export function traceFields(span: Span | undefined = trace.getActiveSpan()): { trace_id?: string; span_id?: string } {
  if (span === undefined) return {};
  const context = span.spanContext();
  return isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : {};
}
