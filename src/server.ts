/**
 * The composition root: the subgraph as an HTTP service, wired top-down in
 * the order a request meets the parts from the bottom up. Nothing here
 * touches `process`; main.ts owns start-up, telemetry (started before this
 * module is imported) and signals.
 *
 *   metrics → coordination (Redis, optional) → loading stack (client,
 *   resilience, store) → response cache → HTTP server → Apollo → routes
 */
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { createCoordination } from './coordination/index.js';
import { createApollo } from './graphql/apollo.js';
import { createHttpServer, listenOn } from './http/http-server.js';
import { createResponseCache } from './http/response-cache.js';
import { createRoutes } from './http/routes.js';
import { accountKey, type OrderStore } from './loading/order-store.js';
import { createLoadingStack, type UpstreamTarget } from './loading/stack.js';
import type { Logger } from './logging.js';
import { createMetrics, type Metrics } from './metrics.js';

export type { UpstreamTarget } from './loading/stack.js';

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
  /** The store's clock (monotonic ms); injectable for tests. */
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

  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? false });
  const coordination = createCoordination({ config, accountKey: account, logger, metrics });
  const loading = createLoadingStack({
    config,
    upstream,
    accountKey: account,
    coordination,
    logger,
    metrics,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const responseCache = createResponseCache({
    maxBytes: config.cacheTtlMs > 0 ? config.responseCacheMaxBytes : 0,
    accountKey: account,
    heldForMs: (held) => loading.store.heldForMs(held),
    onLookup: (result) => metrics.responseCache(result),
  });
  metrics.observe({
    store: () => loading.store.stats(),
    responseCache: () => responseCache?.stats() ?? { entries: 0, bytes: 0 },
    upstream: () => loading.gate.stats(),
    circuit: () => loading.client.circuitState(),
    authBackoff: () => loading.client.authBackoffState(),
    rateLimiter: () => coordination.rateState(),
    sharedTier: () => coordination.connection(),
  });

  // Apollo drains the server it is given, so the server exists first; requests arrive only after listen().
  const dispatch: { routes?: RequestListener } = {};
  const httpServer = createHttpServer(config, (req, res) => dispatch.routes?.(req, res));
  const apollo = await createApollo({ config, httpServer, logger, metrics });
  let draining = false;
  dispatch.routes = createRoutes({ config, apollo, loading, coordination, metrics, logger, responseCache, draining: () => draining });

  let closed: Promise<void> | undefined;
  return {
    httpServer,
    store: loading.store,
    metrics,
    listen: (port, host) => listenOn(httpServer, port, host),
    close() {
      draining = true;
      closed ??= (async () => {
        // Give up on Sectigo a little before the grace ends, leaving time to write the answers.
        const graceMs = config.shutdownGraceMs;
        const cutoff = setTimeout(() => loading.abandon(), Math.max(0, graceMs - Math.min(1_000, Math.floor(graceMs / 4))));
        // apollo.stop() runs the drain plugin: stop accepting, let requests finish, then close idle sockets.
        try {
          await apollo.stop();
        } finally {
          clearTimeout(cutoff);
        }
        if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await loading.close();
        await coordination.close();
      })();
      return closed;
    },
  };
}
