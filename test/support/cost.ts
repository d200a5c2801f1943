/**
 * A static cost estimate in the manner of the Apollo Router's demand control
 * (objects weigh 1, leaves 0, `@cost` overrides a field's or its type's
 * weight, lists multiply by `@listSize(assumedSize)` or a default). The
 * router itself is a native binary that cannot run here; this mirrors its
 * documented rules closely enough to show what our annotations price.
 */
import {
  Kind,
  buildASTSchema,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export function supergraphSchema(supergraphSdl: string): GraphQLSchema {
  return buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
}

function directiveArg(nodes: readonly ConstDirectiveNode[] | undefined, directive: string, arg: string): unknown {
  const node = nodes?.find((d) => d.name.value === directive);
  const value = node?.arguments?.find((a) => a.name.value === arg)?.value;
  return value === undefined ? undefined : valueFromASTUntyped(value);
}

export function estimateCost(schema: GraphQLSchema, query: string, defaultListSize = 10): number {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation === undefined || operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
  const root = schema.getQueryType();
  if (root === null || root === undefined) throw new Error('no Query type');

  const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += selectionCost(selection.selectionSet, parent);
        continue;
      }
      if (selection.kind !== Kind.FIELD || !isObjectType(parent)) continue;
      const field = parent.getFields()[selection.name.value];
      if (field === undefined) continue;
      total += fieldCost(field, selection.selectionSet);
    }
    return total;
  };

  const fieldCost = (field: GraphQLField<unknown, unknown>, selectionSet: SelectionSetNode | undefined): number => {
    const named = getNamedType(field.type);
    const typeWeight = directiveArg(named.astNode?.directives, 'cost', 'weight');
    const fieldWeight = directiveArg(field.astNode?.directives, 'cost', 'weight');
    const weight = Number(fieldWeight ?? typeWeight ?? (isCompositeType(named) ? 1 : 0));
    const childCost = selectionSet !== undefined && isCompositeType(named) ? selectionCost(selectionSet, named) : 0;
    const perItem = weight + childCost;
    if (!isList(field.type)) return perItem;
    const assumed = directiveArg(field.astNode?.directives, 'listSize', 'assumedSize');
    return perItem * Number(assumed ?? defaultListSize);
  };

  return selectionCost(operation.selectionSet, root);
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}
