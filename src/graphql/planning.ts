/**
 * Selection-aware planning: which `queryType` and `showValidityPeriod` a
 * query needs, read from the fields it selects.
 *
 * Each field's requirement is declared once, next to the field, with the
 * `@sectigoDetail` directive in schema/. `createPlanner` reads those
 * directives into a table; `plan` walks a resolver's selection (aliases,
 * named and inline fragments, nested `replacementOrders`, `_entities`
 * fragments) and joins the requirements of every field that will execute.
 * `@skip`/`@include` are evaluated with the request's variables.
 */
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { STATUS_ONLY, joinLevels, type DetailLevel } from '../sectigo/detail.js';

export const DETAIL_DIRECTIVE = 'sectigoDetail';

/** `Type.field` -> the level that field needs. Fields not listed need status only. */
export type RequirementTable = ReadonlyMap<string, DetailLevel>;

export function readRequirements(typeDefs: DocumentNode): RequirementTable {
  const table = new Map<string, DetailLevel>();
  for (const definition of typeDefs.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      const directive = field.directives?.find((d) => d.name.value === DETAIL_DIRECTIVE);
      if (directive === undefined) continue;
      const args = Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
      const queryType = args['queryType'] ?? 0;
      if (queryType !== 0 && queryType !== 1 && queryType !== 2) {
        throw new Error(
          `@${DETAIL_DIRECTIVE} on ${definition.name.value}.${field.name.value}: queryType must be 0, 1 or 2, got ${JSON.stringify(queryType)}`,
        );
      }
      table.set(`${definition.name.value}.${field.name.value}`, {
        queryType,
        showValidityPeriod: args['showValidityPeriod'] === true,
      });
    }
  }
  return table;
}

export interface Planner {
  /** The level the selection under this resolver needs, for objects of `objectType`. */
  plan(info: GraphQLResolveInfo, objectType: string): DetailLevel;
}

export function createPlanner(requirements: RequirementTable): Planner {
  // One plan per field occurrence per operation: `_entities` calls the
  // reference resolver once per representation with the same nodes.
  const plans = new WeakMap<readonly FieldNode[], WeakMap<object, Map<string, DetailLevel>>>();

  return {
    plan(info, objectTypeName) {
      let byVariables = plans.get(info.fieldNodes);
      if (byVariables === undefined) {
        byVariables = new WeakMap();
        plans.set(info.fieldNodes, byVariables);
      }
      let byType = byVariables.get(info.variableValues);
      if (byType === undefined) {
        byType = new Map();
        byVariables.set(info.variableValues, byType);
      }
      const cached = byType.get(objectTypeName);
      if (cached !== undefined) return cached;

      const objectType = info.schema.getType(objectTypeName);
      if (!isObjectType(objectType)) throw new Error(`planner: ${objectTypeName} is not an object type`);
      const walk = new SelectionWalk(requirements, info.schema, info.fragments, info.variableValues);
      for (const node of info.fieldNodes) {
        if (node.selectionSet !== undefined) walk.visit(node.selectionSet, objectType, new Set());
      }
      byType.set(objectTypeName, walk.level);
      return walk.level;
    },
  };
}

class SelectionWalk {
  level: DetailLevel = STATUS_ONLY;

  constructor(
    private readonly requirements: RequirementTable,
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** `parent` is the type the selection applies to; `spread` guards against fragment cycles. */
  visit(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, spread: Set<string>): void {
    for (const selection of selectionSet.selections) {
      if (!this.isIncluded(selection)) continue;
      switch (selection.kind) {
        case Kind.FIELD:
          this.visitField(selection, parent, spread);
          break;
        case Kind.INLINE_FRAGMENT: {
          const narrowed = this.narrow(parent, selection.typeCondition?.name.value);
          if (narrowed !== undefined) this.visit(selection.selectionSet, narrowed, spread);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = this.fragments[name];
          if (fragment === undefined || spread.has(name)) break;
          const narrowed = this.narrow(parent, fragment.typeCondition.name.value);
          if (narrowed !== undefined) this.visit(fragment.selectionSet, narrowed, new Set(spread).add(name));
          break;
        }
      }
    }
  }

  private visitField(node: FieldNode, parent: GraphQLCompositeType, spread: Set<string>): void {
    if (!isObjectType(parent) && !isInterfaceType(parent)) return; // only __typename on unions
    const field = parent.getFields()[node.name.value];
    if (field === undefined) return; // __typename and other meta fields
    const required = this.requirements.get(`${parent.name}.${field.name}`);
    if (required !== undefined) this.level = joinLevels(this.level, required);
    const type = getNamedType(field.type);
    if (node.selectionSet !== undefined && isCompositeType(type)) this.visit(node.selectionSet, type, spread);
  }

  /**
   * The type a fragment's fields apply to, or undefined when the fragment
   * cannot apply (e.g. `... on OtherEntity` inside `_entities`).
   */
  private narrow(parent: GraphQLCompositeType, condition: string | undefined): GraphQLCompositeType | undefined {
    if (condition === undefined || condition === parent.name) return parent;
    const type = this.schema.getType(condition);
    if (type === undefined || !isCompositeType(type)) return undefined;
    if (isObjectType(parent)) {
      // A fragment on an abstract type applies when the object is one of its possible types.
      return isAbstractType(type) && this.schema.isSubType(type, parent) ? parent : undefined;
    }
    if (isObjectType(type) && isAbstractType(parent)) return this.schema.isSubType(parent, type) ? type : undefined;
    return type;
  }

  private isIncluded(node: { directives?: FieldNode['directives'] }): boolean {
    return isIncluded(node, this.variables);
  }
}

/** Whether `@skip` / `@include` (with the request's coerced variables) let a selection execute. */
export function isIncluded(node: { readonly directives?: FieldNode['directives'] }, variables: Record<string, unknown>): boolean {
  if (node.directives === undefined || node.directives.length === 0) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
  if (skip?.['if'] === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
  return include?.['if'] !== false;
}

function isCompositeType(type: GraphQLNamedType): type is GraphQLCompositeType {
  return isObjectType(type) || isInterfaceType(type) || isAbstractType(type);
}
