/**
 * `ORDERS_MAX_IDS` for `_entities`: a router (or anyone reaching the
 * subgraph) can send any number of representations, each an upstream call.
 * Checked once the operation is known, before any resolver runs.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';
import type { RequestContext } from './context.js';

export function entityBatchLimit(max: number): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          for (const selection of operation?.selectionSet.selections ?? []) {
            if (selection.kind !== Kind.FIELD || selection.name.value !== '_entities') continue;
            const value = selection.arguments?.find((a) => a.name.value === 'representations')?.value;
            let count = 0;
            if (value?.kind === Kind.LIST) count = value.values.length;
            else if (value?.kind === Kind.VARIABLE) {
              const given: unknown = request.variables?.[value.name.value];
              count = Array.isArray(given) ? given.length : 0;
            }
            if (count > max) {
              throw new GraphQLError(`_entities takes at most ${max} representations (ORDERS_MAX_IDS), got ${count}`, {
                extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
              });
            }
          }
        },
      };
    },
  };
}
