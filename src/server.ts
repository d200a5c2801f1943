/**
 * The subgraph as an HTTP service: schema + Apollo Server + routes
 * (`POST /graphql`, `GET /health`, `GET /metrics`). Nothing here touches
 * `process`; main.ts owns start-up and signals.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Config } from './config.js';
import type { RequestContext } from './graphql/context.js';
import { createFormatError } from './graphql/errors.js';
import { createSubgraphSchema } from './graphql/schema.js';
import { createOrderLoader } from './loading/order-loader.js';
import { accountKey, createAnswerCache, createOrderStore, type OrderStore } from './loading/order-store.js';
import type { Logger } from './logging.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createSectigoClient, type SectigoClient, type SectigoCredentials } from './sectigo/client.js';

/** The upstream the subgraph talks to, resolved (main.ts swaps in the simulator when configured). */
export interface UpstreamTarget {
  readonly url: URL;
  readonly credentials: SectigoCredentials;
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
  /** Stops accepting, drains in-flight requests, closes the upstream pool. */
  close(): Promise<void>;
}

export async function createSubgraph(options: SubgraphOptions): Promise<Subgraph> {
  const { config, upstream, logger } = options;
  let metrics: Metrics | undefined;
  const client: SectigoClient = createSectigoClient({
    url: upstream.url,
    credentials: upstream.credentials,
    timeoutMs: config.upstreamTimeoutMs,
    maxConnections: config.upstreamMaxConnections,
    maxResponseBytes: config.upstreamMaxResponseBytes,
    responseFormat: config.responseFormat,
    onCall(event) {
      metrics?.upstreamCall(event);
      logger.info(
        {
          event: 'upstream_call',
          ...(event.ref.kind === 'orderNumber' ? { orderNumber: event.ref.orderNumber } : { certificateId: event.ref.certificateId }),
          queryType: event.level.queryType,
          showValidityPeriod: event.level.showValidityPeriod,
          durationMs: Math.round(event.durationMs * 10) / 10,
          outcome: event.outcome,
          sectigoErrorCode: event.sectigoErrorCode,
          bytes: event.bytes,
        },
        'upstream call',
      );
    },
  });
  const store = createOrderStore({
    client,
    accountKey: accountKey(upstream.url, upstream.credentials.loginName),
    cache: createAnswerCache({
      ttlMs: config.cacheTtlMs,
      maxBytes: config.cacheMaxBytes,
      ...(options.now === undefined ? {} : { now: options.now }),
      onEvict: () => metrics?.eviction(),
    }),
    maxConcurrency: config.upstreamMaxConcurrency,
  });
  metrics = createMetrics(() => store.stats(), { defaultMetrics: options.defaultMetrics ?? false });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);

  const apollo = new ApolloServer<RequestContext>({
    schema: createSubgraphSchema({ maxOrdersPerQuery: config.maxOrdersPerQuery }),
    introspection: config.introspection,
    logger,
    // main.ts owns the signals and the order of shutdown.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !config.production,
    formatError: createFormatError({
      hideStacks: config.production,
      onUnexpected: (error) => logger.error({ err: error }, 'unexpected error in a resolver'),
    }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Responses are cacheable for as long as our own cache serves them: the
      // default covers nested fields, and each order field restricts it to the
      // remaining life of the answer it returned (see loadOrder). Errors: no-store.
      ApolloServerPluginCacheControl({ defaultMaxAge: Math.floor(config.cacheTtlMs / 1000) }),
      // Field-level traces for a router that asks for them (ftv1); error
      // messages are ours and carry no upstream body, but keep them out anyway.
      ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
      landingPage(config),
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
    res.status(draining ? 503 : 200).json({ status: draining ? 'draining' : 'ready' });
  });
  app.get('/metrics', async (_req, res) => {
    const registry = (metrics as Metrics).registry;
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.use(
    '/graphql',
    express.json({ limit: config.maxRequestBodyBytes }),
    expressMiddleware(apollo, {
      context: async () => ({ orders: createOrderLoader(store) }),
    }),
  );

  let closed: Promise<void> | undefined;
  return {
    httpServer,
    store,
    metrics,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve(httpServer.address() as AddressInfo);
        });
      });
    },
    close() {
      draining = true;
      closed ??= (async () => {
        // apollo.stop() runs the drain plugin: stop accepting, let requests finish, then close idle sockets.
        await apollo.stop();
        if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await client.close();
      })();
      return closed;
    },
  };
}

function landingPage(config: Config): ApolloServerPlugin<RequestContext> {
  if (!config.landingPage) return ApolloServerPluginLandingPageDisabled();
  return config.production
    ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
    : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true });
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
          const counts = contextValue.orders?.counts;
          if (counts !== undefined) {
            metrics.load('cache', counts.cache);
            metrics.load('coalesced', counts.coalesced);
            metrics.load('upstream', counts.upstream);
          }
          logger.info(
            {
              event: 'graphql_operation',
              operationName: operationName ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              upstreamCalls: counts?.upstream ?? 0,
              cacheHits: counts?.cache ?? 0,
              coalesced: counts?.coalesced ?? 0,
              errorCodes: responseErrors.map((e) => e.extensions?.['code'] ?? null),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
