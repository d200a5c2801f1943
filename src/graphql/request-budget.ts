/**
 * What one GraphQL request may ask of Sectigo, checked once the operation and
 * its variables are known and before any resolver runs:
 *
 * - at most `maxOrders` (ORDERS_MAX_IDS) distinct orders, however the ids
 *   arrive: several root fields, aliases, named and inline fragments,
 *   `_entities`, literals or variables. Ids are counted in canonical form
 *   (`01` is `1`); an id that is not one is left to its resolver, which
 *   refuses it without a call. `@skip`/`@include` are honoured.
 * - an estimated cost of at most `maxCost`, from `@cost`/`@listSize`, with
 *   the real number of ids and representations in place of assumed sizes.
 *
 * The order loader enforces the same id budget again while loading
 * (a backstop for any path this count does not foresee).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getArgumentValues,
  getVariableValues,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode } from '../errors.js';
import { orderRefKey, parseCertificateId, parseOrderNumber, byCertificateId, byOrderNumber } from '../sectigo/ids.js';
import type { RequestContext } from './context.js';
import { selectionCost, type CostTable } from './cost.js';
import { isIncluded } from './planning.js';

export interface RequestBudgetOptions {
  readonly table: CostTable;
  readonly defaultListSize: number;
  readonly maxCost: number;
  readonly maxOrders: number;
}

/** Root fields that load orders, and the ids each one asks for. */
type IdsOf = (args: Record<string, unknown>) => readonly unknown[];

const LOOKUPS: Readonly<Record<string, { readonly kind: 'orderNumber' | 'certificateId'; readonly ids: IdsOf }>> = {
  order: { kind: 'orderNumber', ids: (args) => [args['orderNumber']] },
  orderByCertificateId: { kind: 'certificateId', ids: (args) => [args['certificateId']] },
  orders: { kind: 'orderNumber', ids: (args) => listArg(args['orderNumbers']) },
  _entities: {
    kind: 'orderNumber',
    // Only representations of Order load an order; the others are refused at their index.
    ids: (args) =>
      listArg(args['representations']).map((r) =>
        typeof r === 'object' && r !== null && (r as { __typename?: unknown }).__typename === 'Order'
          ? (r as { orderNumber?: unknown }).orderNumber
          : undefined,
      ),
  },
};

/** The list field of a root lookup whose length the request tells. */
const SIZED_LISTS: Readonly<Record<string, string>> = { 'Query.orders': 'orderNumbers', 'Query._entities': 'representations' };

function listArg(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function canonicalKey(kind: 'orderNumber' | 'certificateId', id: unknown): string | undefined {
  const text = typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? String(id) : id;
  if (typeof text !== 'string') return undefined;
  if (kind === 'orderNumber') {
    const orderNumber = parseOrderNumber(text);
    return orderNumber === undefined ? undefined : orderRefKey(byOrderNumber(orderNumber));
  }
  const certificateId = parseCertificateId(text);
  return certificateId === undefined ? undefined : orderRefKey(byCertificateId(certificateId));
}

/** Every root field that will execute, through fragments of any nesting. */
function rootFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  spread: ReadonlySet<string> = new Set(),
  found: FieldNode[] = [],
): FieldNode[] {
  for (const selection of selectionSet.selections) {
    if (!isIncluded(selection, variables)) continue;
    switch (selection.kind) {
      case Kind.FIELD:
        found.push(selection);
        break;
      case Kind.INLINE_FRAGMENT:
        rootFields(selection.selectionSet, fragments, variables, spread, found);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const fragment = fragments.get(selection.name.value);
        if (fragment !== undefined && !spread.has(fragment.name.value)) {
          rootFields(fragment.selectionSet, fragments, variables, new Set(spread).add(fragment.name.value), found);
        }
        break;
      }
    }
  }
  return found;
}

function refuse(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400 } } });
}

/** Throws the refusal, if any, for one resolved operation. */
export function checkRequestBudget(
  schema: GraphQLSchema,
  root: GraphQLObjectType,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  options: RequestBudgetOptions,
): void {
  const distinct = new Set<string>();
  const sizes = new Map<FieldNode, number>();
  for (const node of rootFields(operation.selectionSet, fragments, variables)) {
    const lookup = LOOKUPS[node.name.value];
    const field = root.getFields()[node.name.value];
    if (lookup === undefined || field === undefined) continue;
    const ids = lookup.ids(getArgumentValues(field, node, variables));
    sizes.set(node, ids.length);
    for (const id of ids) {
      const key = canonicalKey(lookup.kind, id);
      if (key !== undefined) distinct.add(key);
    }
    if (ids.length > options.maxOrders) {
      throw refuse(
        `${node.name.value} takes at most ${options.maxOrders} ids (ORDERS_MAX_IDS), got ${ids.length}`,
        ErrorCode.BAD_USER_INPUT,
      );
    }
  }
  if (distinct.size > options.maxOrders) {
    throw refuse(
      `This request asks for ${distinct.size} distinct orders; one request may ask for at most ${options.maxOrders} (ORDERS_MAX_IDS)`,
      ErrorCode.BAD_USER_INPUT,
    );
  }
  const cost = selectionCost(schema, operation.selectionSet, root, (name) => fragments.get(name), {
    table: options.table,
    defaultListSize: options.defaultListSize,
    isIncluded: (node) => isIncluded(node, variables),
    listSizeOf: (key, node) => (SIZED_LISTS[key] === undefined ? undefined : sizes.get(node)),
  });
  if (cost > options.maxCost) {
    throw refuse(
      `Operation cost ${cost} exceeds the limit of ${options.maxCost} (an order weighs 10: one upstream call)`,
      ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE,
      { cost, maxCost: options.maxCost },
    );
  }
}

export function requestBudget(options: RequestBudgetOptions): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (operation?.operation !== OperationTypeNode.QUERY) return;
          const root = schema.getQueryType();
          if (root === null || root === undefined) return;
          // Variables that do not coerce fail the request in execution, before any resolver.
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
          if (coerced.errors !== undefined) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          }
          try {
            checkRequestBudget(schema, root, operation, fragments, coerced.coerced, options);
          } catch (error) {
            // graphql-js refuses, without a code, a value that passed variable
            // coercion but not its argument or directive (an explicit null for
            // a nullable variable with a default, used where null is not
            // allowed). Execution would refuse it the same way: the client's
            // mistake, not ours.
            if (error instanceof GraphQLError && error.extensions['code'] === undefined) {
              throw refuse(error.message, ErrorCode.BAD_USER_INPUT);
            }
            throw error;
          }
        },
      };
    },
  };
}
