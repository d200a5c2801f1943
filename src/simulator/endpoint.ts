/**
 * The documented behaviour of !GetDetailedOrderStatus, as a pure function
 * from a request's method and body parameters to an answer.
 *
 * The docs give the error codes but not the order in which the checks run.
 * The simulator checks, and answers with the first failure:
 *
 *   1. method is not POST                                  -17
 *   2. an argument name it does not know (first one sent)  -2  named as sent
 *   3. an argument given twice (names compare ignoring case) -4
 *   4. a required argument missing or empty, in the order
 *      loginName, loginPassword, orderNumber|certificateID
 *      (named 'orderNumber'), queryType                    -3
 *   5. a value of the wrong shape, in the order of the docs' table: loginName
 *      over 64 or loginPassword over 128 characters, orderNumber not digits,
 *      certificateID not 1 to 16 digits, queryType not 0/1/2,
 *      showValidityPeriod not Y/N, responseFormat not 1/2  -4
 *   6. the login does not match (values are case sensitive)  -16
 *   7. no such order: orderNumber when given, else certificateID  -4
 *
 * The lookup comes after the login so that an unauthenticated caller learns
 * nothing about which orders exist. Argument names are case insensitive (the
 * v1.1 page); values are case sensitive. An empty optional argument takes its
 * default. Errors are answered in the requested responseFormat when that
 * argument was valid, else url-encoded. When both orderNumber and
 * certificateID are given, orderNumber decides (certificateID must still be
 * well-formed).
 */
import type { ResponseFormat, WireResponse } from '../sectigo/wire.js';
import type { DetailLevel } from '../sectigo/detail.js';
import { successResponse, type OrderBook } from './orders.js';

export const ARGUMENTS = Object.freeze([
  'loginName',
  'loginPassword',
  'orderNumber',
  'certificateID',
  'queryType',
  'showValidityPeriod',
  'responseFormat',
] as const);

export type Argument = (typeof ARGUMENTS)[number];

const BY_LOWER_CASE: ReadonlyMap<string, Argument> = new Map(ARGUMENTS.map((name) => [name.toLowerCase(), name]));

/** The canonical spelling of an argument name sent in any case, if it is one. */
export function argumentNamed(name: string): Argument | undefined {
  return BY_LOWER_CASE.get(name.toLowerCase());
}

/** The documented messages; `'x'` is filled with the argument's name. */
export function errorMessageFor(code: number, argument = 'orderNumber'): string | undefined {
  switch (code) {
    case -1:
      return 'Request was not made over https!';
    case -2:
      return `'${argument}' is an unrecognised argument!`;
    case -3:
      return `The '${argument}' argument is missing!`;
    case -4:
      return `The value of the '${argument}' argument is invalid!`;
    case -14:
    case 14:
      return 'An unknown error occurred!';
    case -15:
      return 'Not enough credit!';
    case -16:
      return 'Incorrect login details, account is locked, password has expired or your source IP is blocked.';
    case -17:
      return 'Request used GET rather than POST!';
    default:
      return undefined;
  }
}

export function errorResponse(code: number, message: string | undefined): WireResponse {
  return { errorCode: code, errorMessage: message, orders: [], extra: new Map() };
}

export interface EndpointRequest {
  readonly method: string;
  /** Body parameters in the order sent, names as sent. */
  readonly params: ReadonlyArray<readonly [string, string]>;
}

export interface EndpointContext {
  readonly loginName: string;
  readonly loginPassword: string;
  readonly orders: OrderBook;
}

export interface EndpointAnswer {
  readonly format: ResponseFormat;
  readonly response: WireResponse;
}

const DIGITS = /^[0-9]+$/;
const CERTIFICATE_ID = /^[0-9]{1,16}$/;

/** The first value per argument, keyed by canonical name. */
export function argumentValues(params: EndpointRequest['params']): Map<Argument, string> {
  const values = new Map<Argument, string>();
  for (const [name, value] of params) {
    const argument = argumentNamed(name);
    if (argument !== undefined && !values.has(argument)) values.set(argument, value);
  }
  return values;
}

/** The format an answer (error or not) is written in. */
export function requestedFormat(params: EndpointRequest['params']): ResponseFormat {
  return argumentValues(params).get('responseFormat') === '2' ? 2 : 1;
}

export function handleRequest(request: EndpointRequest, context: EndpointContext): EndpointAnswer {
  const format = request.method === 'POST' ? requestedFormat(request.params) : 1;
  const fail = (code: number, argument?: string): EndpointAnswer => ({
    format,
    response: errorResponse(code, errorMessageFor(code, argument)),
  });

  if (request.method !== 'POST') return fail(-17);

  const seen = new Set<Argument>();
  for (const [name] of request.params) {
    const argument = argumentNamed(name);
    if (argument === undefined) return fail(-2, name);
    if (seen.has(argument)) return fail(-4, argument);
    seen.add(argument);
  }

  const values = argumentValues(request.params);
  const given = (argument: Argument): string | undefined => {
    const value = values.get(argument);
    return value === undefined || value === '' ? undefined : value;
  };
  const loginName = given('loginName');
  const loginPassword = given('loginPassword');
  const orderNumber = given('orderNumber');
  const certificateId = given('certificateID');
  const queryType = given('queryType');
  const showValidityPeriod = given('showValidityPeriod') ?? 'N';
  const responseFormat = given('responseFormat') ?? '1';

  if (loginName === undefined) return fail(-3, 'loginName');
  if (loginPassword === undefined) return fail(-3, 'loginPassword');
  if (orderNumber === undefined && certificateId === undefined) return fail(-3, 'orderNumber');
  if (queryType === undefined) return fail(-3, 'queryType');

  if (loginName.length > 64) return fail(-4, 'loginName');
  if (loginPassword.length > 128) return fail(-4, 'loginPassword');
  if (orderNumber !== undefined && !DIGITS.test(orderNumber)) return fail(-4, 'orderNumber');
  if (certificateId !== undefined && !CERTIFICATE_ID.test(certificateId)) return fail(-4, 'certificateID');
  if (queryType !== '0' && queryType !== '1' && queryType !== '2') return fail(-4, 'queryType');
  if (showValidityPeriod !== 'Y' && showValidityPeriod !== 'N') return fail(-4, 'showValidityPeriod');
  if (responseFormat !== '1' && responseFormat !== '2') return fail(-4, 'responseFormat');

  if (loginName !== context.loginName || loginPassword !== context.loginPassword) return fail(-16);

  const order =
    orderNumber !== undefined
      ? context.orders.byOrderNumber(orderNumber)
      : certificateId !== undefined
        ? context.orders.byCertificateId(certificateId)
        : undefined;
  if (order === undefined) return fail(-4, orderNumber !== undefined ? 'orderNumber' : 'certificateID');

  const disclosure: DetailLevel = {
    queryType: queryType === '0' ? 0 : queryType === '1' ? 1 : 2,
    showValidityPeriod: showValidityPeriod === 'Y',
  };
  return { format, response: successResponse(order, disclosure) };
}
