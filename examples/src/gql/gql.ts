/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query CertificateExpiry($orderNumbers: [ID!]!) {\n    orders(orderNumbers: $orderNumbers) {\n      orderNumber\n      certificates {\n        serialNumber\n        status\n        domains\n        validity {\n          notAfter\n        }\n      }\n    }\n  }\n": typeof types.CertificateExpiryDocument,
    "\n  query OrderStatusBadge($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      status\n      statusReason\n      certificates {\n        status\n        type\n      }\n    }\n  }\n": typeof types.OrderStatusBadgeDocument,
    "\n  query ReplacementChain($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      orderNumber\n      status\n      orderedAt\n      replacementOrders {\n        orderNumber\n        status\n        orderedAt\n        certificates {\n          status\n          domains\n        }\n      }\n    }\n  }\n": typeof types.ReplacementChainDocument,
    "\n  query ShippingTracker($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      certificates {\n        serialNumber\n        shipping {\n          upsTrackingId\n          country\n          locality\n          postalCode\n          streetAddress\n          contact {\n            forename\n            surname\n          }\n        }\n      }\n    }\n  }\n": typeof types.ShippingTrackerDocument,
    "\n  query ValidationProgress($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      status\n      certificates {\n        type\n        validation {\n          csr\n          dcv\n          ovCallBack\n          organization\n          freeDvUpgrade\n          evClickThrough\n          caa\n        }\n      }\n    }\n  }\n": typeof types.ValidationProgressDocument,
};
const documents: Documents = {
    "\n  query CertificateExpiry($orderNumbers: [ID!]!) {\n    orders(orderNumbers: $orderNumbers) {\n      orderNumber\n      certificates {\n        serialNumber\n        status\n        domains\n        validity {\n          notAfter\n        }\n      }\n    }\n  }\n": types.CertificateExpiryDocument,
    "\n  query OrderStatusBadge($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      status\n      statusReason\n      certificates {\n        status\n        type\n      }\n    }\n  }\n": types.OrderStatusBadgeDocument,
    "\n  query ReplacementChain($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      orderNumber\n      status\n      orderedAt\n      replacementOrders {\n        orderNumber\n        status\n        orderedAt\n        certificates {\n          status\n          domains\n        }\n      }\n    }\n  }\n": types.ReplacementChainDocument,
    "\n  query ShippingTracker($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      certificates {\n        serialNumber\n        shipping {\n          upsTrackingId\n          country\n          locality\n          postalCode\n          streetAddress\n          contact {\n            forename\n            surname\n          }\n        }\n      }\n    }\n  }\n": types.ShippingTrackerDocument,
    "\n  query ValidationProgress($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      status\n      certificates {\n        type\n        validation {\n          csr\n          dcv\n          ovCallBack\n          organization\n          freeDvUpgrade\n          evClickThrough\n          caa\n        }\n      }\n    }\n  }\n": types.ValidationProgressDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CertificateExpiry($orderNumbers: [ID!]!) {\n    orders(orderNumbers: $orderNumbers) {\n      orderNumber\n      certificates {\n        serialNumber\n        status\n        domains\n        validity {\n          notAfter\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CertificateExpiry($orderNumbers: [ID!]!) {\n    orders(orderNumbers: $orderNumbers) {\n      orderNumber\n      certificates {\n        serialNumber\n        status\n        domains\n        validity {\n          notAfter\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderStatusBadge($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      status\n      statusReason\n      certificates {\n        status\n        type\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrderStatusBadge($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      status\n      statusReason\n      certificates {\n        status\n        type\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReplacementChain($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      orderNumber\n      status\n      orderedAt\n      replacementOrders {\n        orderNumber\n        status\n        orderedAt\n        certificates {\n          status\n          domains\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReplacementChain($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      orderNumber\n      status\n      orderedAt\n      replacementOrders {\n        orderNumber\n        status\n        orderedAt\n        certificates {\n          status\n          domains\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShippingTracker($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      certificates {\n        serialNumber\n        shipping {\n          upsTrackingId\n          country\n          locality\n          postalCode\n          streetAddress\n          contact {\n            forename\n            surname\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ShippingTracker($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      certificates {\n        serialNumber\n        shipping {\n          upsTrackingId\n          country\n          locality\n          postalCode\n          streetAddress\n          contact {\n            forename\n            surname\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ValidationProgress($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      status\n      certificates {\n        type\n        validation {\n          csr\n          dcv\n          ovCallBack\n          organization\n          freeDvUpgrade\n          evClickThrough\n          caa\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ValidationProgress($orderNumber: ID!) {\n    order(orderNumber: $orderNumber) {\n      status\n      certificates {\n        type\n        validation {\n          csr\n          dcv\n          ovCallBack\n          organization\n          freeDvUpgrade\n          evClickThrough\n          caa\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;