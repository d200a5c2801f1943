/**
 * The subgraph as an HTTP service: schema + Apollo Server + routes
 * (`POST /graphql`, `GET /health`, `GET /metrics`). Nothing here touches
 * `process`; main.ts owns start-up and signals.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import type { Config } from './config.js';
import { jsonBody } from './http/json-body.js';
import { explorerOffPage, landingPage } from './http/landing.js';
import { noIntrospection } from './graphql/introspection.js';
import type { RequestContext } from './graphql/context.js';
import { createFormatError } from './graphql/errors.js';
import { readCosts } from './graphql/cost.js';
import { supportedOperationTypes } from './graphql/operation-types.js';
import { requestBudget } from './graphql/request-budget.js';
import { createOperationTrace, operationTracing } from './graphql/operation-trace.js';
import { createSubgraphSchema, loadTypeDefs } from './graphql/schema.js';
import { createOrderLoader } from './loading/order-loader.js';
import { accountKey, createAnswerCache, createOrderStore, type OrderStore } from './loading/order-store.js';
import { createSharedTier } from './loading/shared-tier.js';
import { connectRedis } from './coordination/redis.js';
import { createSharedAuthBackoff } from './coordination/shared-auth-backoff.js';
import { createSharedRateBudget } from './coordination/shared-rate.js';
import type { Logger } from './logging.js';
import { traceFields } from './tracing.js';
import { trace } from '@opentelemetry/api';
import { createMetrics, type Metrics } from './metrics.js';
import { createSectigoClient, type SectigoClient, type SectigoCredentials, type UpstreamCallEvent } from './sectigo/client.js';
import { createUpstreamGate } from './sectigo/gate.js';
import { createResilientClient } from './sectigo/resilience.js';

/** The upstream the subgraph talks to, resolved (main.ts swaps in the simulator when configured). */
export interface UpstreamTarget {
  readonly url: URL;
  readonly credentials: SectigoCredentials;
}

/** Starts listening; resolves with the bound address, rejects if the port cannot be bound. */
export function listenOn(server: Server, port: number, host?: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** The configured real upstream as a target (not for the simulator default, which main.ts starts). */
export function configuredUpstream(config: Config): UpstreamTarget {
  if (config.upstream.kind !== 'sectigo') throw new Error('configuredUpstream: the configuration names no Sectigo account');
  const { url, loginName, loginPassword } = config.upstream;
  return { url, credentials: { loginName, loginPassword } };
}

export interface SubgraphOptions {
  readonly config: Config;
  readonly upstream: UpstreamTarget;
  readonly logger: Logger;
  /** Monotonic milliseconds for the cache; injectable for tests. */
  readonly now?: () => number;
  /** Default process metrics (CPU, heap, event loop) on /metrics. */
  readonly defaultMetrics?: boolean;
}

export interface Subgraph {
  readonly httpServer: Server;
  readonly store: OrderStore;
  readonly metrics: Metrics;
  /** Starts listening; resolves with the bound address. */
  listen(port: number, host?: string): Promise<AddressInfo>;
  /**
   * Stops accepting, drains in-flight requests, closes the upstream pool.
   * Requests still waiting on Sectigo shortly before SHUTDOWN_GRACE_MS ends
   * are answered UPSTREAM_UNAVAILABLE, so every client gets an answer.
   */
  close(): Promise<void>;
}

export async function createSubgraph(options: SubgraphOptions): Promise<Subgraph> {
  const { config, upstream, logger } = options;
  const account = accountKey(upstream.url, upstream.credentials.loginName);
  // The metrics observe the pieces built below; their sources are read at scrape time only.
  const metrics = createMetrics(
    {
      store: () => store.stats(),
      upstream: () => gate.stats(),
      circuit: () => client.circuitState(),
      authBackoff: () => client.authBackoffState(),
      rateLimiter: () => rateState(),
      sharedTier: () => (redis === undefined ? 'off' : redis.connected() ? 'connected' : 'disconnected'),
    },
    { defaultMetrics: options.defaultMetrics ?? false },
  );

  // Redis (optional): one connection for the shared cache, the account's rate budget and the -16 back-off.
  const redis =
    config.redis === undefined
      ? undefined
      : connectRedis({
          target: config.redis.target,
          commandTimeoutMs: config.redis.commandTimeoutMs,
          onError(operation, error) {
            metrics.sharedTierError(operation);
            logger.debug({ event: 'redis_error', operation, err: error }, 'redis: falling back');
          },
          events: {
            connection(state) {
              const log = state === 'ready' ? logger.info.bind(logger) : logger.warn.bind(logger);
              log({ event: 'redis_connection', state }, `redis ${state === 'ready' ? 'connected' : 'lost; serving from memory and upstream, local rate share'}`);
            },
          },
        });
  const sharedRate =
    redis === undefined || config.redis === undefined || config.upstreamRateLimit <= 0
      ? undefined
      : createSharedRateBudget({ redis, keyPrefix: config.redis.keyPrefix, accountKey: account, ratePerSecond: config.upstreamRateLimit });
  const rateState = () =>
    sharedRate?.state() ?? { mode: 'local' as const, limit: config.upstreamRateLimit, localShare: config.upstreamRateLimit, replicas: 1 };

  const gate = createUpstreamGate({
    maxConcurrency: config.upstreamMaxConcurrency,
    ratePerSecond: config.upstreamRateLimit,
    ...(sharedRate === undefined ? {} : { budget: sharedRate }),
  });
  const client = createResilientClient(createUpstreamClient(config, upstream, logger, metrics), {
    retries: config.upstreamRetries,
    retryBaseMs: config.upstreamRetryBaseMs,
    breakerFailures: config.upstreamBreakerFailures,
    breakerWindowMs: config.upstreamBreakerWindowMs,
    breakerHalfOpenMs: config.upstreamBreakerHalfOpenMs,
    authBackoffMs: config.upstreamAuthBackoffMs,
    gate,
    ...(redis === undefined || config.redis === undefined
      ? {}
      : { sharedAuthBackoff: createSharedAuthBackoff({ redis, keyPrefix: config.redis.keyPrefix, accountKey: account, backoffMs: config.upstreamAuthBackoffMs }) }),
    events: {
      retry(attempt, delayMs, code) {
        metrics.retry(code);
        logger.warn({ event: 'upstream_retry', attempt, delayMs: Math.round(delayMs), outcome: code }, 'retrying a transient upstream failure');
      },
      circuit(state) {
        logger.warn({ event: 'upstream_circuit', state }, `upstream circuit ${state}`);
      },
      rejected(reason) {
        metrics.rejected(reason);
      },
    },
  });
  // Aborted when the shutdown grace is nearly over: every request still waiting on Sectigo gets its answer.
  const shutdown = new AbortController();
  // The shared cache tier only makes sense with a cache: both follow CACHE_TTL_MS.
  const shared =
    redis === undefined || config.redis === undefined || config.cacheTtlMs <= 0
      ? undefined
      : createSharedTier({
          redis,
          keyPrefix: config.redis.keyPrefix,
          ttlMs: config.cacheTtlMs,
          lockMs: config.redis.lockMs,
          events: {
            error(operation, error) {
              metrics.sharedTierError(operation);
              logger.debug({ event: 'redis_error', operation, err: error }, 'shared cache tier: falling back');
            },
          },
        });
  const store = createOrderStore({
    client,
    accountKey: account,
    cache: createAnswerCache({
      ttlMs: config.cacheTtlMs,
      maxBytes: config.cacheMaxBytes,
      ...(options.now === undefined ? {} : { now: options.now }),
      onEvict: () => metrics.eviction(),
    }),
    staleIfErrorMs: config.staleIfErrorMs,
    deadlineMs: config.upstreamDeadlineMs,
    shutdown: shutdown.signal,
    ...(shared === undefined ? {} : { shared }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createHttpServer(config, app);

  const armor = new ApolloArmor({
    maxDepth: { n: config.limits.maxDepth },
    maxAliases: { n: config.limits.maxAliases },
    // Tokens are counted by graphql-js's own parser (parseOptions below):
    // armor's token plugin throws from parsingDidStart, which Apollo answers
    // with HTTP 500 for every syntax error.
    maxTokens: { enabled: false },
    maxDirectives: { n: config.limits.maxDirectives },
    // Replaced by requestBudget below, which prices by upstream calls (@cost/@listSize) and real id counts.
    costLimit: { enabled: false },
    // Suggestions ("Did you mean …?") help in development and map the schema for attackers.
    blockFieldSuggestion: { enabled: config.production },
  }).protect();

  const typeDefs = loadTypeDefs();
  const apollo = new ApolloServer<RequestContext>({
    schema: createSubgraphSchema({ typeDefs, maxOrdersPerQuery: config.maxOrdersPerQuery }),
    // Depth, alias and directive limits run as validation rules, the id budget
    // and cost once the variables are known (requestBudget): an operation over
    // a limit fails before any resolver, so before any upstream call.
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: [
      supportedOperationTypes,
      ...(config.introspection ? [] : [noIntrospection]),
      ...armor.validationRules,
    ],
    allowBatchedHttpRequests: false,
    // Our own rule (below) refuses introspection with a message that says how to turn it on.
    introspection: true,
    logger,
    // main.ts owns the signals and the order of shutdown.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !config.production,
    formatError: createFormatError({
      hideStacks: config.production,
      onUnexpected: (error) => {
        metrics.unexpected(unexpectedCode(error));
        logger.error({ err: error }, 'unexpected error in a resolver');
      },
    }),
    plugins: [
      // Past the grace, connections still open are closed; by then every
      // request has its answer (see close()).
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      // Responses are cacheable for as long as our own cache serves them: the
      // default covers nested fields, and each order field restricts it to the
      // remaining life of the answer it returned (see loadOrder). Errors: no-store.
      ApolloServerPluginCacheControl({ defaultMaxAge: Math.floor(config.cacheTtlMs / 1000) }),
      // Field-level traces for a router that asks for them (ftv1); error
      // messages are ours and carry no upstream body, but keep them out anyway.
      ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
      // graphql-armor's declarations come from @apollo/server's CJS build and
      // ours from its ESM build: the same plugin shape under two declarations.
      ...(armor.plugins as unknown as ApolloServerPlugin<RequestContext>[]),
      requestBudget({ table: readCosts(typeDefs), defaultListSize: 10, maxCost: config.limits.maxCost, maxOrders: config.maxOrdersPerQuery }),
      landingPage<RequestContext>(config),
      operationTracing(),
      operationLog(logger, metrics),
    ],
  });
  await apollo.start();

  let draining = false;
  // Liveness: the process serves HTTP.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: take this replica out of rotation while it drains.
  app.get('/health/ready', (_req, res) => {
    // The circuit state is reported, not acted on: every replica shares the
    // upstream, so taking them all out of rotation would only turn a partial
    // outage into a full one.
    res.status(draining ? 503 : 200).json({
      status: draining ? 'draining' : 'ready',
      upstreamCircuit: client.circuitState(),
      ...(redis === undefined
        ? {}
        : {
            sharedCache: redis.connected() ? 'connected' : 'disconnected',
            upstreamRateLimiter: rateState(),
            upstreamAuthBackoff: client.authBackoffState(),
          }),
    });
  });
  app.get('/metrics', async (_req, res) => {
    const registry = metrics.registry;
    res.type(registry.contentType).send(await registry.metrics());
  });
  if (!config.landingPage) app.get('/graphql', explorerOffPage(config));
  app.use(
    '/graphql',
    routerSecretCheck(config),
    jsonBody(config.maxRequestBodyBytes),
    expressMiddleware(apollo, {
      context: async () => {
        const operationTrace = createOperationTrace();
        return { trace: operationTrace, orders: createOrderLoader(store, { maxOrders: config.maxOrdersPerQuery, traceContext: () => operationTrace.context }) };
      },
    }),
  );
  app.use(jsonErrors(logger));

  let closed: Promise<void> | undefined;
  return {
    httpServer,
    store,
    metrics,
    listen: (port, host) => listenOn(httpServer, port, host),
    close() {
      draining = true;
      closed ??= (async () => {
        // Give up on Sectigo a little before the grace ends, leaving time to write the answers.
        const graceMs = config.shutdownGraceMs;
        const cutoff = setTimeout(() => shutdown.abort(), Math.max(0, graceMs - Math.min(1_000, Math.floor(graceMs / 4))));
        // apollo.stop() runs the drain plugin: stop accepting, let requests finish, then close idle sockets.
        try {
          await apollo.stop();
        } finally {
          clearTimeout(cutoff);
        }
        if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await client.close();
        await shared?.close();
        sharedRate?.close();
        await redis?.close();
      })();
      return closed;
    },
  };
}

/**
 * Node's defaults let one client hold a connection for minutes: 60 s for
 * headers and 300 s for a body, checked only every 30 s, and no cap on
 * connections. Ours are seconds, checked often enough to matter.
 */
function createHttpServer(config: Config, app: express.Express): Server {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = config.http;
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeoutMs / 4))),
    },
    app,
  );
  server.maxConnections = maxConnections;
  return server;
}

/**
 * Optional shared secret between the router and this subgraph (Apollo's
 * advice for subgraphs that should only be reached through the router).
 */
function routerSecretCheck(config: Config): express.RequestHandler {
  const secret = config.routerSecret === undefined ? undefined : Buffer.from(config.routerSecret);
  return (req, res, next) => {
    if (secret === undefined) return next();
    const given = Buffer.from(req.get(config.routerSecretHeader) ?? '');
    if (given.length === secret.length && timingSafeEqual(given, secret)) return next();
    res.status(401).json({
      errors: [{ message: `Missing or wrong ${config.routerSecretHeader} header`, extensions: { code: 'UNAUTHENTICATED' } }],
    });
  };
}

/**
 * Errors raised before GraphQL runs (body too large, malformed JSON) as a
 * GraphQL-shaped JSON answer instead of Express's HTML page.
 */
function jsonErrors(logger: Logger): express.ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : '';
    const message =
      type === 'entity.too.large'
        ? 'Request body too large'
        : type === 'entity.parse.failed'
          ? 'Request body is not valid JSON'
          : status < 500
            ? 'Bad request'
            : 'Internal server error';
    if (status >= 500) logger.error({ err: error }, 'request failed before GraphQL');
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  };
}


/** One log line per GraphQL operation, with the upstream work it caused. */
function operationLog(logger: Logger, metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, errors, response }) {
          const body = response.body;
          const responseErrors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          const failed = (errors?.length ?? 0) > 0 || responseErrors.length > 0;
          metrics.operation(failed ? 'error' : 'success');
          for (const error of responseErrors) metrics.responseError(String(error.extensions?.['code'] ?? 'none'));
          const orders = contextValue.orders as RequestContext['orders'] | undefined;
          const counts = orders?.counts;
          if (orders !== undefined && counts !== undefined) {
            for (const source of ['cache', 'shared', 'coalesced', 'upstream', 'stale'] as const) metrics.load(source, 'ok', counts[source]);
            metrics.load('upstream', 'error', orders.failures.upstream);
            metrics.load('coalesced', 'error', orders.failures.coalesced);
          }
          const staleOrders = contextValue.orders?.staleOrders ?? [];
          if (staleOrders.length > 0 && body.kind === 'single') {
            // Say so when an answer is past its TTL (stale-if-error).
            body.singleResult.extensions = { ...body.singleResult.extensions, staleOrders: [...staleOrders] };
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
              errorCodes: responseErrors.map((e) => e.extensions?.['code'] ?? null),
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

function createUpstreamClient(config: Config, upstream: UpstreamTarget, logger: Logger, metrics: Metrics): SectigoClient {
  return createSectigoClient({
    url: upstream.url,
    credentials: upstream.credentials,
    timeoutMs: config.upstreamTimeoutMs,
    maxConnections: config.upstreamMaxConnections,
    maxResponseBytes: config.upstreamMaxResponseBytes,
    responseFormat: config.responseFormat,
    onCall(event) {
      metrics.upstreamCall(event);
      logger[upstreamLogLevel(event)](
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
    },
  });
}

/**
 * ok and Sectigo's ordinary "no such order" (-4) at info; the upstream
 * failing or refusing a request at warn; -16 (the account or its source IP at risk) and
 * our own failures at error.
 */
function upstreamLogLevel(event: UpstreamCallEvent): 'info' | 'warn' | 'error' {
  if (event.outcome === 'SECTIGO_AUTH_FAILED' || event.outcome === 'internal_error') return 'error';
  if (event.outcome === 'ok' || event.outcome === 'aborted' || event.sectigoErrorCode === -4) return 'info';
  return 'warn';
}

/** An unexpected error's own code (`ERR_...`, `ECONNRESET`) or its class name. */
function unexpectedCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : typeof error;
}
