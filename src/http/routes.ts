/**
 * The HTTP surface on `node:http`: `/health`, `/health/ready`, `/metrics`
 * and `/graphql` (router secret, body guard, Apollo). Paths match as
 * Express matched them: case-insensitive, with or without a trailing slash;
 * HEAD is answered like GET. Anything else is a JSON 404.
 *
 * A handler never lets an error escape: an unexpected one is logged and
 * answered 500 (or the connection dropped, when the answer had begun).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { Config } from '../config.js';
import type { Coordination } from '../coordination/index.js';
import { ErrorCode } from '../errors.js';
import { createRequestContext, type RequestContext } from '../graphql/context.js';
import type { LoadingStack } from '../loading/stack.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import { executeWithApollo, parseRequest, refuseUnread, replyError } from './apollo-handler.js';
import { recordOperation } from '../graphql/operation-log.js';
import { ATTR, tracer } from '../tracing.js';
import { explorerOffPage } from './landing.js';
import type { ResponseCache, ResponseCacheHit } from './response-cache.js';
import { routerSecretCheck } from './router-secret.js';

export interface RouteOptions {
  readonly config: Config;
  readonly apollo: ApolloServer<RequestContext>;
  readonly loading: LoadingStack;
  readonly coordination: Coordination;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Undefined: off. */
  readonly responseCache: ResponseCache | undefined;
  /** True once shutdown began: readiness turns 503. */
  readonly draining: () => boolean;
}

function replyJson(res: ServerResponse, status: number, payload: unknown, contentType = 'application/json; charset=utf-8'): void {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** '/Health/' is '/health'. */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  let path = (q < 0 ? url : url.slice(0, q)).toLowerCase();
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

export function createRoutes(options: RouteOptions): RequestListener {
  const { config, apollo, loading, coordination, metrics, logger, responseCache, draining } = options;
  const secretOk = routerSecretCheck(config);
  const offPage = config.landingPage ? undefined : explorerOffPage(config);

  /** A whole response from the response cache: the same bytes, the max-age of now, the same log line and metrics. */
  function serveCached(res: ServerResponse, { response, headers }: ResponseCacheHit, started: number): void {
    const span = tracer().startSpan(response.operationName === null ? 'query' : `query ${response.operationName}`, {
      attributes: {
        [ATTR.operationType]: 'query',
        ...(response.operationName === null ? {} : { [ATTR.operationName]: response.operationName }),
        [ATTR.responseCache]: 'hit',
      },
    });
    res.writeHead(200, headers);
    res.end(response.body);
    span.end();
    const n = response.held.length;
    recordOperation(logger, metrics, {
      operationName: response.operationName,
      durationMs: performance.now() - started,
      failed: false,
      codes: [],
      orders: {
        counts: { cache: n, shared: 0, coalesced: 0, upstream: 0, stale: 0 },
        failures: { upstream: 0, coalesced: 0 },
        upstream: { calls: 0, failures: 0 },
      },
      responseCacheHit: true,
      span,
    });
  }

  const readiness = (): { status: number; body: unknown } => {
    // The circuit state is reported, not acted on: every replica shares the
    // upstream, so taking them all out of rotation would only turn a partial
    // outage into a full one.
    const redis = coordination.connection();
    const leaving = draining();
    return {
      status: leaving ? 503 : 200,
      body: {
        status: leaving ? 'draining' : 'ready',
        upstreamCircuit: loading.client.circuitState(),
        ...(redis === 'off'
          ? {}
          : { sharedCache: redis, upstreamRateLimiter: coordination.rateState(), upstreamAuthBackoff: loading.client.authBackoffState() }),
      },
    };
  };

  async function graphql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    if (!secretOk(req)) {
      // Before any of the body is read: the connection closes rather than read the rest.
      const message = `Missing or wrong ${config.routerSecretHeader} header`;
      if (req.method === 'POST' && !req.complete) refuseUnread(req, res, 401, message, ErrorCode.UNAUTHENTICATED);
      else replyError(res, 401, message, ErrorCode.UNAUTHENTICATED);
      return;
    }
    const parsed = await parseRequest(req, res, config.maxRequestBodyBytes);
    if (parsed === undefined) return;
    if (offPage !== undefined && parsed.method === 'GET' && offPage(req, res, new URLSearchParams(parsed.search))) return;
    const key = responseCache?.keyOf(req, parsed.text, parsed.body);
    if (key !== undefined) {
      const hit = responseCache?.get(key);
      if (hit !== undefined) return serveCached(res, hit, started);
    }
    const context = createRequestContext(loading.store, config.maxOrdersPerQuery);
    const response = await executeWithApollo(apollo, req, res, parsed, () => Promise.resolve(context));
    if (key !== undefined) responseCache?.offer(key, response, context.orders.held(), context.operation.name);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req.url ?? '/');
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/graphql') return graphql(req, res);
    if (read && path === '/health') return replyJson(res, 200, { status: 'ok' });
    if (read && path === '/health/ready') {
      const { status, body } = readiness();
      return replyJson(res, status, body);
    }
    if (read && path === '/metrics') return replyJson(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
    replyError(res, 404, `No route for ${req.method ?? 'GET'} ${path.slice(0, 100)}`, ErrorCode.NOT_FOUND);
  }

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed outside GraphQL');
      if (!res.headersSent) replyError(res, 500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR);
      else res.destroy();
    });
  };
}
