/**
 * `Query._entities`, guarded. @apollo/subgraph's own resolver maps the
 * representations in order and throws on the first one whose `__typename`
 * names no entity, abandoning the promises it already made for earlier ones:
 * one bad representation next to a failing order was an unhandled rejection,
 * and Node exited. Here every representation is checked first; a bad one
 * becomes a BAD_USER_INPUT error at its own index (graphql-js completes an
 * Error item as null with its path), and only the good ones reach the
 * original resolver, in one call so its batching and cache hints still apply.
 */
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { badUserInput } from './errors.js';

function representationProblem(schema: GraphQLSchema, representation: unknown): string | undefined {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    return 'a representation must be an object with a __typename';
  }
  const typename: unknown = (representation as { __typename?: unknown }).__typename;
  if (typeof typename !== 'string') return 'a representation must carry __typename as a string';
  const type = schema.getType(typename);
  if (type === undefined || !isObjectType(type) || type.astNode?.directives?.some((d) => d.name.value === 'key') !== true) {
    return `${JSON.stringify(typename.slice(0, 40))} is not an entity of this subgraph`;
  }
  return undefined;
}

export function guardEntities(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()['_entities'];
  const original = field?.resolve;
  if (field === undefined || original === undefined) return schema;
  const guarded: GraphQLFieldResolver<unknown, unknown, { representations: readonly unknown[] }> = (source, args, context, info) => {
    const results: unknown[] = new Array<unknown>(args.representations.length);
    const good: unknown[] = [];
    const goodIndexes: number[] = [];
    args.representations.forEach((representation, index) => {
      const problem = representationProblem(info.schema, representation);
      if (problem === undefined) {
        good.push(representation);
        goodIndexes.push(index);
      } else {
        results[index] = badUserInput(`representations[${index}]: ${problem}`, `representations[${index}]`);
      }
    });
    if (good.length > 0) {
      const resolved = original(source, { ...args, representations: good }, context, info) as readonly unknown[];
      goodIndexes.forEach((index, i) => {
        results[index] = resolved[i];
      });
    }
    return results;
  };
  field.resolve = guarded as GraphQLFieldResolver<unknown, unknown>;
  return schema;
}
