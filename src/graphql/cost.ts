/**
 * Operation cost by upstream calls, from the schema's demand-control
 * directives: an object weighs 1 and a leaf 0 unless `@cost(weight:)` on the
 * field or its type says otherwise; a list multiplies its items by
 * `@listSize(assumedSize:)` (or a default). These are the rules the Apollo
 * Router's demand control documents, so the subgraph refuses what a router
 * would price too high, before any upstream call.
 */
import {
  Kind,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isAbstractType,
  valueFromASTUntyped,
  type FieldNode,
  type GraphQLNamedType,
  type SelectionNode,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export interface CostTable {
  /** `Type` or `Type.field` -> weight. */
  readonly weights: ReadonlyMap<string, number>;
  /** `Type.field` -> assumed list size. */
  readonly listSizes: ReadonlyMap<string, number>;
}

function numberArg(directives: readonly DirectiveNode[] | undefined, name: string, arg: string): number | undefined {
  const value = directives?.find((d) => d.name.value === name)?.arguments?.find((a) => a.name.value === arg)?.value;
  const parsed: unknown = value === undefined ? undefined : valueFromASTUntyped(value);
  return typeof parsed === 'number' ? parsed : undefined;
}

/** Reads `@cost` and `@listSize` from SDL (a subgraph's type definitions or a supergraph). */
export function readCosts(sdl: DocumentNode): CostTable {
  const weights = new Map<string, number>();
  const listSizes = new Map<string, number>();
  for (const definition of sdl.definitions) {
    if (!('name' in definition) || definition.name === undefined || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    const declared = numberArg(definition.directives, 'cost', 'weight');
    if (declared !== undefined) weights.set(typeName, declared);
    if (!('fields' in definition) || definition.fields === undefined) continue;
    for (const field of definition.fields) {
      const key = `${typeName}.${field.name.value}`;
      const weight = numberArg(field.directives, 'cost', 'weight');
      if (weight !== undefined) weights.set(key, weight);
      const size = numberArg(field.directives, 'listSize', 'assumedSize');
      if (size !== undefined) listSizes.set(key, size);
    }
  }
  return { weights, listSizes };
}

export interface CostOptions {
  readonly table: CostTable;
  /** For lists without `@listSize`. */
  readonly defaultListSize: number;
  /** The real size of a list field (`Type.field`) when the request tells it (ids, representations); else the assumed size. */
  readonly listSizeOf?: (key: string, node: FieldNode) => number | undefined;
  /** Whether a selection executes (`@skip`/`@include`); default: all do. */
  readonly isIncluded?: (node: SelectionNode) => boolean;
}

export function selectionCost(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  fragments: (name: string) => FragmentDefinitionNode | undefined,
  options: CostOptions,
  seen: ReadonlySet<string> = new Set(),
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (options.isIncluded?.(selection) === false) continue;
    switch (selection.kind) {
      case Kind.INLINE_FRAGMENT: {
        const condition = selection.typeCondition === undefined ? parent : schema.getType(selection.typeCondition.name.value);
        if (condition !== undefined && isCompositeType(condition)) {
          total += selectionCost(schema, selection.selectionSet, condition, fragments, options, seen);
        }
        break;
      }
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = fragments(name);
        const condition = fragment === undefined ? undefined : schema.getType(fragment.typeCondition.name.value);
        if (fragment !== undefined && !seen.has(name) && condition !== undefined && isCompositeType(condition)) {
          total += selectionCost(schema, fragment.selectionSet, condition, fragments, options, new Set(seen).add(name));
        }
        break;
      }
      case Kind.FIELD: {
        if (!isObjectType(parent) && !isInterfaceType(parent)) break;
        const field = parent.getFields()[selection.name.value];
        if (field === undefined) break;
        const key = `${parent.name}.${field.name}`;
        const named = getNamedType(field.type);
        const weight = options.table.weights.get(key) ?? typeWeight(schema, named, options.table);
        const children =
          selection.selectionSet !== undefined && isCompositeType(named)
            ? selectionCost(schema, selection.selectionSet, named, fragments, options, seen)
            : 0;
        const items = isList(field.type)
          ? (options.listSizeOf?.(key, selection) ?? options.table.listSizes.get(key) ?? options.defaultListSize)
          : 1;
        total += (weight + children) * items;
        break;
      }
    }
  }
  return total;
}

/**
 * A type's own weight; an abstract type (`_Entity`) weighs as much as its
 * heaviest possible type, so `_entities` is priced as the orders it loads.
 */
function typeWeight(schema: GraphQLSchema, type: GraphQLNamedType, table: CostTable): number {
  const own = table.weights.get(type.name);
  if (own !== undefined) return own;
  if (isAbstractType(type)) {
    const weights = schema.getPossibleTypes(type).map((possible) => table.weights.get(possible.name) ?? 1);
    return Math.max(1, ...weights);
  }
  return isCompositeType(type) ? 1 : 0;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}
