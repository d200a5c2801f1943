/**
 * The HTTP surface: `/health`, `/health/ready`, `/metrics` and `/graphql`
 * (router secret, body guard, Apollo), then JSON for errors raised before
 * GraphQL runs.
 */
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Config } from '../config.js';
import type { Coordination } from '../coordination/index.js';
import { createRequestContext, type RequestContext } from '../graphql/context.js';
import type { LoadingStack } from '../loading/stack.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import { jsonBody } from './json-body.js';
import { jsonErrors } from './json-errors.js';
import { explorerOffPage } from './landing.js';
import { routerSecretCheck } from './router-secret.js';

export interface RouteOptions {
  readonly config: Config;
  readonly apollo: ApolloServer<RequestContext>;
  readonly loading: LoadingStack;
  readonly coordination: Coordination;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** True once shutdown began: readiness turns 503. */
  readonly draining: () => boolean;
}

export function mountRoutes(app: express.Express, options: RouteOptions): void {
  const { config, apollo, loading, coordination, metrics, logger, draining } = options;
  // Liveness: the process serves HTTP.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: take this replica out of rotation while it drains.
  app.get('/health/ready', (_req, res) => {
    // The circuit state is reported, not acted on: every replica shares the
    // upstream, so taking them all out of rotation would only turn a partial
    // outage into a full one.
    const redis = coordination.connection();
    const leaving = draining();
    res.status(leaving ? 503 : 200).json({
      status: leaving ? 'draining' : 'ready',
      upstreamCircuit: loading.client.circuitState(),
      ...(redis === 'off'
        ? {}
        : {
            sharedCache: redis,
            upstreamRateLimiter: coordination.rateState(),
            upstreamAuthBackoff: loading.client.authBackoffState(),
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
    expressMiddleware(apollo, { context: async () => createRequestContext(loading.store, config.maxOrdersPerQuery) }),
  );
  app.use(jsonErrors(logger));
}
