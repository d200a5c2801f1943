/**
 * Every `extensions.code` a client can receive, in one table: the contract
 * (README "Errors"; a test checks the README lists exactly these). Error
 * classes stay internal; this string is what clients match on.
 */
export const ErrorCode = {
  /** A bad id, variable or representation, or too many ids: no upstream call. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** Sectigo says the order number / certificate id is invalid (-4 on it): the field is null. */
  NOT_FOUND: 'NOT_FOUND',
  /** -16: credentials, locked account, expired password or blocked source IP. */
  UPSTREAM_AUTH_FAILED: 'UPSTREAM_AUTH_FAILED',
  /** Any other Sectigo error code, an undecodable body, an answer about another order. */
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  /** Timeout, connection failure, HTTP 5xx, open circuit, deadline passed, shutting down. */
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  /** ROUTER_SECRET is set and the request lacks it (HTTP 401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Estimated cost over QUERY_MAX_COST (the Apollo Router's code for the same refusal). */
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  /** Not JSON, a body over the limit, a wrong persisted-query hash, a batch (HTTP 4xx). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** Apollo's: a syntax error, or too many tokens. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** Apollo's: unknown fields, an unsupported operation type, a depth/alias/directive limit. */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** Apollo's: an automatic persisted query's hash it has not seen yet (the client resends the query). */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Apollo's: persisted queries are off. */
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** Apollo's: `operationName` names no operation of the document. */
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  /** Anything unexpected: masked, details only in the log. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes shown to the client as they were raised; anything else is masked as INTERNAL_SERVER_ERROR. */
export const SHOWN_AS_RAISED: ReadonlySet<string> = new Set<ErrorCode>(
  Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
);
