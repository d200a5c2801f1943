/**
 * Resolvers, thin by design: validate ids at the boundary, plan the detail
 * level from the selection, load through the per-request loader, map
 * failures to the error contract. Everything else is default resolution
 * over the domain types.
 */
import { cacheControlFromInfo } from '@apollo/cache-control-types';
import { GraphQLScalarType, Kind, type GraphQLResolveInfo } from 'graphql';
import type { DetailLevel } from '../sectigo/detail.js';
import type { Order, OrderStatus } from '../sectigo/domain.js';
import { byCertificateId, byOrderNumber, parseCertificateId, parseOrderNumber, type OrderRef } from '../sectigo/ids.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import type { RequestContext } from './context.js';
import { badUserInput, toGraphQLError } from './errors.js';
import type { OrderModel } from './models.js';
import type { Planner } from './planning.js';

export interface ResolverOptions {
  readonly planner: Planner;
  /** Most ids `orders` takes in one call. */
  readonly maxOrdersPerQuery: number;
}

function toModel(order: Order, replacements: readonly Order[], requested: string | null): OrderModel {
  return {
    ...order,
    requestedOrderNumber: requested,
    replacementOrders: replacements.map((replacement) => toModel(replacement, [], null)),
  };
}

function statusToModel(status: OrderStatus, requested: string | null): OrderModel {
  return toModel(status.order, status.replacementOrders, requested);
}

function describe(ref: OrderRef): string {
  return ref.kind === 'orderNumber' ? `Order ${ref.orderNumber}` : `The order of certificate ${ref.certificateId}`;
}

/**
 * Loads one order and restricts the field's cache hint to how long our own
 * cache will still serve the answer, so a router caching the response never
 * keeps it longer than we would.
 */
async function loadOrder(context: RequestContext, ref: OrderRef, level: DetailLevel, info: GraphQLResolveInfo): Promise<OrderModel> {
  try {
    const { status, freshForMs } = await context.orders.load(ref, level);
    cacheControlFromInfo(info).cacheHint.restrict({ maxAge: Math.floor(freshForMs / 1000), scope: 'PUBLIC' });
    return statusToModel(status, ref.kind === 'orderNumber' ? ref.orderNumber : null);
  } catch (error) {
    throw toGraphQLError(error, describe(ref));
  }
}

/** `value` is `unknown`: an `_entities` representation can carry any JSON. */
export function orderNumberRef(value: unknown, argumentName: string): OrderRef {
  // A router may send a numeric key; a safe integer is the same order number.
  const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  const orderNumber = typeof text === 'string' ? parseOrderNumber(text) : undefined;
  if (orderNumber === undefined) {
    throw badUserInput(`${argumentName} must be a Sectigo order number (digits only), got ${shown(text)}`, argumentName);
  }
  return byOrderNumber(orderNumber);
}

export function certificateIdRef(value: string, argumentName: string): OrderRef {
  const certificateId = parseCertificateId(value);
  if (certificateId === undefined) throw badUserInput(`${argumentName} must be 1 to 16 digits, got ${shown(value)}`, argumentName);
  return byCertificateId(certificateId);
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : 'a number beyond 2^53 (send ids as strings)';
  return (JSON.stringify(value) ?? 'nothing').slice(0, 40);
}

const DateTime = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An instant in ISO-8601 / RFC 3339 form, always UTC.',
  serialize(value) {
    if (typeof value === 'string') return value;
    if (value instanceof Date) return value.toISOString();
    throw new TypeError('DateTime cannot represent a non-date value');
  },
  parseValue(value) {
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
    throw new TypeError('DateTime must be an ISO-8601 string');
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING && !Number.isNaN(Date.parse(ast.value))) return new Date(ast.value).toISOString();
    throw new TypeError('DateTime must be an ISO-8601 string');
  },
});

export function createResolvers(options: ResolverOptions): Resolvers {
  const { planner, maxOrdersPerQuery } = options;
  return {
    DateTime,
    Query: {
      order: (_parent, args, context, info) =>
        loadOrder(context, orderNumberRef(args.orderNumber, 'orderNumber'), planner.plan(info, 'Order'), info),

      orderByCertificateId: (_parent, args, context, info) =>
        loadOrder(context, certificateIdRef(args.certificateId, 'certificateId'), planner.plan(info, 'Order'), info),

      orders: (_parent, args, context, info) => {
        if (args.orderNumbers.length > maxOrdersPerQuery) {
          throw badUserInput(`orders takes at most ${maxOrdersPerQuery} order numbers, got ${args.orderNumbers.length}`, 'orderNumbers');
        }
        // Validate every id before any upstream call.
        const refs = args.orderNumbers.map((value, i) => orderNumberRef(value, `orderNumbers[${i}]`));
        const level = planner.plan(info, 'Order');
        // One promise per entry: graphql-js completes list items independently,
        // so a failed entry is null with its error at its own index.
        return refs.map((ref) => loadOrder(context, ref, level, info));
      },
    },
    Order: {
      __resolveReference: async (reference: { readonly orderNumber?: unknown }, context, info) =>
        loadOrder(context, orderNumberRef(reference.orderNumber, 'orderNumber'), planner.plan(info, 'Order'), info),
      orderNumber: (order) => order.orderNumber ?? order.requestedOrderNumber ?? '',
    },
    // ProductTerm's fields and durationDays match the domain Period: default resolvers.
    Validity: {
      notBefore: (p) => p.start,
      notAfter: (p) => p.end,
    },
  };
}
