/**
 * One span per GraphQL operation, under the caller's trace (the router's
 * traceparent, through the HTTP SERVER span). Resolvers do not run inside
 * it (Apollo's plugins cannot make a span active for execution), so the
 * loader puts each order's span under it explicitly: `trace.context`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, context, trace, type Context } from '@opentelemetry/api';
import { ATTR, SPAN, tracer } from '../tracing.js';
import type { RequestContext } from './context.js';
import { codeOf } from './errors.js';

/** Where a request's spans go; the operation's span once the request starts. */
export interface OperationTrace {
  context: Context;
}

export function createOperationTrace(): OperationTrace {
  return { context: context.active() };
}

export function operationTracing(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const span = tracer().startSpan(SPAN.operation);
      contextValue.trace.context = trace.setSpan(context.active(), span);
      return {
        async didResolveOperation({ operation, operationName }) {
          if (operation === undefined) return;
          span.updateName(operationName === null ? operation.operation : `${operation.operation} ${operationName}`);
          span.setAttribute(ATTR.operationType, operation.operation);
          if (operationName !== null) span.setAttribute(ATTR.operationName, operationName);
        },
        async willSendResponse({ response, errors }) {
          const body = response.body;
          const sent = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          const codes = [...sent, ...(sent.length === 0 ? (errors ?? []) : [])].map(codeOf);
          if (codes.length > 0) {
            span.setAttribute(ATTR.errorCodes, codes);
            span.setStatus({ code: SpanStatusCode.ERROR, message: [...new Set(codes)].join(',') });
          }
          span.end();
        },
      };
    },
  };
}
