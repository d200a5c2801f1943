/** The malformed client's requests: each must be a 4xx with a code, never a 5xx or INTERNAL_SERVER_ERROR. */
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { gql, type Send } from './requests.js';

const DEEP = `{ __schema { types { fields { type { ${'ofType { '.repeat(14)}name${' }'.repeat(14)} } } } } }`;
export const MALFORMED: ReadonlyArray<readonly [string, Send]> = [
  ['syntax error', gql(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}" { status } }`)],
  ['unterminated string', gql(`{ order(orderNumber: "1000001) { status } }`)],
  ['mutation', gql(`mutation { order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`)],
  ['subscription', gql(`subscription { order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`)],
  ['unknown field', gql(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { nope } }`)],
  ['not an order number', gql(`{ order(orderNumber: "not-a-number") { status } }`)],
  ['70-digit order number', gql(`{ order(orderNumber: "${'9'.repeat(70)}") { status } }`)],
  ['bad JSON', { body: '{"query": "{ order(' }],
  ['query not a string', { body: JSON.stringify({ query: 42 }) }],
  ['no query', { body: '{}' }],
  ['JSON null', { body: 'null' }],
  ['batch', { body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) }],
  ['variables of the wrong type', gql(`query($o: ID!) { order(orderNumber: $o) { status } }`, { o: { x: 1 } })],
  [
    'variables not an object',
    { body: JSON.stringify({ query: 'query($o: ID!) { order(orderNumber: $o) { status } }', variables: [1, 2] }) },
  ],
  [
    'unsafe integer id',
    { body: '{"query":"query($c: ID!) { orderByCertificateId(certificateId: $c) { status } }","variables":{"c":9007199254740993}}' },
  ],
  ['too deep', gql(DEEP)],
  ['too many aliases', gql(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`)],
  ['too many tokens', gql(`{ ${'__typename '.repeat(3_100)} }`)],
  ['too many directives', gql(`{ __typename ${'@include(if: true) '.repeat(60)} }`)],
  ['two operations, no name', gql('query A { __typename } query B { __typename }')],
  ['unknown operation name', { body: JSON.stringify({ query: '{ __typename }', operationName: 'Missing' }) }],
  ['fragment cycle', gql('fragment F on Query { ...F } { ...F }')],
  ['text/plain', { contentType: 'text/plain', body: JSON.stringify({ query: '{ __typename }' }) }],
  ['GET mutation', { method: 'GET', search: `?query=${encodeURIComponent('mutation { __typename }')}` }],
  ['binary garbage', { body: '\u0000\u0001\u00ff garbage' }],
];
