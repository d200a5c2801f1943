import { readFileSync, readdirSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { guardEntities } from './entities.js';
import { createPlanner, readRequirements } from './planning.js';
import { createResolvers } from './resolvers.js';

/** schema/ sits two levels above both src/graphql/ and dist/graphql/. */
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** The SDL from schema/, the only schema source. */
export function loadTypeDefs(): DocumentNode {
  const files = readdirSync(SCHEMA_DIR)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  return parse(files.map((name) => readFileSync(new URL(name, SCHEMA_DIR), 'utf8')).join('\n'));
}

export interface SubgraphSchemaOptions {
  readonly typeDefs: DocumentNode;
  readonly maxOrdersPerQuery: number;
}

export function createSubgraphSchema(options: SubgraphSchemaOptions): GraphQLSchema {
  const { typeDefs } = options;
  const planner = createPlanner(readRequirements(typeDefs));
  const resolvers = createResolvers({ planner, maxOrdersPerQuery: options.maxOrdersPerQuery });
  // The generated Resolvers type is stricter than @apollo/subgraph's map type; the shapes agree.
  return guardEntities(buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }));
}
