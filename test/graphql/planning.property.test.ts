/**
 * Property: for any selection, however it is written (aliases, inline and
 * named fragments, @skip/@include with variables), the planner asks for
 * exactly the join of the contract's requirements of the fields that will
 * execute. The oracle below is the contract's table, written independently
 * of the @sectigoDetail directives the planner reads.
 */
import fc from 'fast-check';
import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createOperationTrace } from '../../src/graphql/operation-trace.js';
import type { RequestContext } from '../../src/graphql/context.js';
import { createSubgraphSchema, loadTypeDefs } from '../../src/graphql/schema.js';
import type { OrderLoader } from '../../src/loading/order-loader.js';
import { STATUS_ONLY, joinLevels, type DetailLevel } from '../../src/sectigo/detail.js';

/** A selectable field: its name, what the contract says it needs, and its children. */
interface Spec {
  readonly name: string;
  readonly need: DetailLevel;
  readonly children?: readonly Spec[];
}

const Q1: DetailLevel = { queryType: 1, showValidityPeriod: false };
const Q2: DetailLevel = { queryType: 2, showValidityPeriod: false };
const Y: DetailLevel = { queryType: 0, showValidityPeriod: true };
const leaf = (name: string, need: DetailLevel = STATUS_ONLY): Spec => ({ name, need });

const CERTIFICATE: readonly Spec[] = [
  leaf('serialNumber'),
  leaf('status'),
  leaf('domains'),
  { name: 'validity', need: Y, children: [leaf('notBefore'), leaf('notAfter'), leaf('durationDays')] },
  { name: 'productTerm', need: Y, children: [leaf('start'), leaf('end')] },
  { name: 'validation', need: Q1, children: [leaf('csr'), leaf('dcv'), leaf('caa')] },
  { name: 'shipping', need: STATUS_ONLY, children: [leaf('upsTrackingId'), leaf('country')] },
  {
    name: 'license',
    need: STATUS_ONLY,
    children: [
      leaf('status'),
      { name: 'hackerGuardian', need: STATUS_ONLY, children: [leaf('merchantId'), leaf('createdAt', Q1), leaf('expiresAt', Q1)] },
      { name: 'webPlatform', need: STATUS_ONLY, children: [leaf('active')] },
    ],
  },
  { name: 'trademark', need: STATUS_ONLY, children: [leaf('office')] },
];
const ORDER_LEAVES: readonly Spec[] = [leaf('orderNumber'), leaf('status'), leaf('orderedAt'), leaf('statusReason')];
const order = (depth: number): readonly Spec[] => [
  ...ORDER_LEAVES,
  { name: 'certificates', need: STATUS_ONLY, children: CERTIFICATE },
  { name: 'suggestedOrganization', need: STATUS_ONLY, children: [leaf('status')] },
  ...(depth > 0 ? [{ name: 'replacementOrders', need: Q2, children: order(depth - 1) }] : []),
];

/** How one selected field is written. */
type Gate = 'none' | 'skipTrue' | 'skipFalse' | 'includeTrue' | 'includeFalse' | 'skipVar' | 'includeVar';
interface Node {
  readonly spec: Spec;
  readonly alias: boolean;
  readonly wrap: 'plain' | 'inline' | 'named';
  readonly gate: Gate;
  readonly children: readonly Node[];
}

function nodeArb(specs: readonly Spec[]): fc.Arbitrary<readonly Node[]> {
  return fc.subarray([...specs], { minLength: 1 }).chain((chosen) =>
    fc.tuple(
      ...chosen.map((spec) =>
        fc.record({
          spec: fc.constant(spec),
          alias: fc.boolean(),
          wrap: fc.constantFrom('plain' as const, 'inline' as const, 'named' as const),
          gate: fc.constantFrom<Gate>(
            'none',
            'none',
            'none',
            'skipTrue',
            'skipFalse',
            'includeTrue',
            'includeFalse',
            'skipVar',
            'includeVar',
          ),
          children: spec.children === undefined ? fc.constant([] as readonly Node[]) : nodeArb(spec.children),
        }),
      ),
    ),
  );
}

function isIncluded(gate: Gate, flag: boolean): boolean {
  switch (gate) {
    case 'none':
    case 'skipFalse':
    case 'includeTrue':
      return true;
    case 'skipTrue':
    case 'includeFalse':
      return false;
    case 'skipVar':
      return !flag;
    case 'includeVar':
      return flag;
  }
}

function expected(nodes: readonly Node[], flag: boolean): DetailLevel {
  let level = STATUS_ONLY;
  for (const node of nodes) {
    if (!isIncluded(node.gate, flag)) continue;
    level = joinLevels(level, joinLevels(node.spec.need, expected(node.children, flag)));
  }
  return level;
}

const GATE_TEXT: Record<Gate, string> = {
  none: '',
  skipTrue: ' @skip(if: true)',
  skipFalse: ' @skip(if: false)',
  includeTrue: ' @include(if: true)',
  includeFalse: ' @include(if: false)',
  skipVar: ' @skip(if: $flag)',
  includeVar: ' @include(if: $flag)',
};

/** Renders nodes under a parent type; named fragments are collected into `fragments`. */
function render(nodes: readonly Node[], parentType: string, fragments: string[], path: string): string {
  return nodes
    .map((node, i) => {
      const alias = node.alias ? `a${i}_${node.spec.name}: ` : '';
      const childType = childTypeOf(parentType, node.spec.name);
      const sub = node.children.length === 0 ? '' : ` { ${render(node.children, childType, fragments, `${path}_${i}`)} }`;
      const field = `${alias}${node.spec.name}${sub}`;
      switch (node.wrap) {
        case 'plain':
          return `${alias}${node.spec.name}${GATE_TEXT[node.gate]}${sub}`;
        case 'inline':
          return `... on ${parentType}${GATE_TEXT[node.gate]} { ${field} }`;
        case 'named': {
          const name = `F${path}_${i}`;
          fragments.push(`fragment ${name} on ${parentType} { ${field} }`);
          return `...${name}${GATE_TEXT[node.gate]}`;
        }
      }
    })
    .join(' ');
}

const CHILD_TYPES: Record<string, string> = {
  'Order.certificates': 'Certificate',
  'Order.replacementOrders': 'Order',
  'Order.suggestedOrganization': 'SuggestedOrganization',
  'Certificate.validity': 'Validity',
  'Certificate.productTerm': 'ProductTerm',
  'Certificate.validation': 'ValidationStatus',
  'Certificate.shipping': 'ShippingDetails',
  'Certificate.license': 'License',
  'Certificate.trademark': 'Trademark',
  'License.hackerGuardian': 'HackerGuardianLicense',
  'License.webPlatform': 'WebPlatformAccount',
};

function childTypeOf(parent: string, field: string): string {
  return CHILD_TYPES[`${parent}.${field}`] ?? 'Leaf';
}

const schema = createSubgraphSchema({ typeDefs: loadTypeDefs(), maxOrdersPerQuery: 100 });

/** Runs the query for real, with a loader that records the level it is asked for. */
async function plannedLevel(query: string, flag: boolean, entities: boolean): Promise<DetailLevel[]> {
  const levels: DetailLevel[] = [];
  const loader: OrderLoader = {
    counts: { cache: 0, shared: 0, coalesced: 0, upstream: 0, stale: 0 },
    failures: { upstream: 0, coalesced: 0 },
    upstream: { calls: 0, failures: 0 },
    staleOrders: [],
    held: () => undefined,
    async load(_ref, need) {
      levels.push(need);
      throw new Error('planning only');
    },
  };
  const context: RequestContext = { orders: loader, trace: createOperationTrace(), operation: { name: null } };
  const variableValues = entities ? { flag, r: [{ __typename: 'Order', orderNumber: '1' }] } : { flag };
  await execute({ schema, document: parse(query), contextValue: context, variableValues });
  return levels;
}

describe('the planner, for any selection', () => {
  it('asks for the join of the needs of the fields that execute, under order and _entities', async () => {
    await fc.assert(
      fc.asyncProperty(nodeArb(order(2)), fc.boolean(), fc.boolean(), async (nodes, flag, entities) => {
        const fragments: string[] = [];
        const body = render(nodes, 'Order', fragments, 'r');
        const query = entities
          ? `query($flag: Boolean!, $r: [_Any!]!) { _entities(representations: $r) { ... on Order { ${body} } } } ${fragments.join(' ')}`
          : `query($flag: Boolean!) { order(orderNumber: "1") { ${body} } } ${fragments.join(' ')}`;
        const levels = await plannedLevel(query, flag, entities);
        expect(levels).toEqual([expected(nodes, flag)]);
      }),
      { numRuns: 300 },
    );
  });
});
