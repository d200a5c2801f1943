/**
 * Apollo Server for the subgraph schema, with every guard that runs before
 * a resolver: parse and validation limits, the request budget (ids and
 * cost), introspection; then cache hints, inline traces, the operation span
 * and the operation log.
 */
import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Config } from '../config.js';
import { landingPage } from '../http/landing.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import type { RequestContext } from './context.js';
import { readCosts } from './cost.js';
import { createFormatError, unexpectedCode } from './errors.js';
import { noIntrospection } from './introspection.js';
import { operationLog, staleOrdersExtension } from './operation-log.js';
import { operationTracing } from './operation-trace.js';
import { supportedOperationTypes } from './operation-types.js';
import { requestBudget } from './request-budget.js';
import { createSubgraphSchema, loadTypeDefs } from './schema.js';

export interface ApolloOptions {
  readonly config: Config;
  /** Drained on stop (ApolloServerPluginDrainHttpServer). */
  readonly httpServer: Server;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** Built and started. */
export async function createApollo({ config, httpServer, logger, metrics }: ApolloOptions): Promise<ApolloServer<RequestContext>> {
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
    validationRules: [supportedOperationTypes, ...(config.introspection ? [] : [noIntrospection]), ...armor.validationRules],
    allowBatchedHttpRequests: false,
    // Our own rule (above) refuses introspection with a message that says how to turn it on.
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
      // request has its answer (see Subgraph.close()).
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
      requestBudget({
        table: readCosts(typeDefs),
        defaultListSize: 10,
        maxCost: config.limits.maxCost,
        maxOrders: config.maxOrdersPerQuery,
      }),
      landingPage<RequestContext>(config),
      operationTracing(),
      staleOrdersExtension(),
      operationLog(logger, metrics),
    ],
  });
  await apollo.start();
  return apollo;
}
