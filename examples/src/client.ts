/**
 * A tiny typed GraphQL client over `fetch`: no framework, no cache, nothing to
 * install beyond `graphql` (for `print`) and `@graphql-typed-document-node/core`
 * (types only). Copy it, or swap it for your framework's client: every
 * TypedDocumentNode in ./gql works with Apollo Client, urql, graphql-request...
 */
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export const DEFAULT_GRAPHQL_URL = 'http://localhost:4001/graphql';

/** The subgraph's error contract: every error it returns carries one of these in `extensions.code`. */
export type ErrorCode =
  'BAD_USER_INPUT' | 'NOT_FOUND' | 'UPSTREAM_AUTH_FAILED' | 'UPSTREAM_ERROR' | 'UPSTREAM_UNAVAILABLE' | 'INTERNAL_SERVER_ERROR';

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_ERROR',
  'UPSTREAM_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && ERROR_CODES.has(value);
}

export interface ResponseError {
  readonly message: string;
  /** Where in `data` the error happened: `['orders', 2]` is the third entry of `orders`. */
  readonly path?: ReadonlyArray<string | number>;
  readonly extensions: {
    readonly code: ErrorCode;
    /** The number Sectigo answered with, on errors caused by an upstream answer. */
    readonly sectigoErrorCode?: number;
    readonly [key: string]: unknown;
  };
}

export interface Response<TResult> {
  /** Null or absent only when the whole operation failed; otherwise partial data next to `errors`. */
  readonly data: TResult | null | undefined;
  /** Empty when the operation succeeded completely. */
  readonly errors: readonly ResponseError[];
}

export interface RequestOptions {
  /** Default: `GRAPHQL_URL` from the environment when there is one (Node, bundlers that inline it), else DEFAULT_GRAPHQL_URL. */
  readonly url?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/**
 * The request never reached GraphQL execution: a network failure, a proxy's
 * error page, or a request the server refused before running it (a document
 * that does not validate against the server's schema: regenerate the types).
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    message: string,
    readonly status: number | undefined,
    /** The server's own codes (e.g. GRAPHQL_VALIDATION_FAILED), when it sent a GraphQL body. */
    readonly codes: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Read without assuming Node: browsers have no `process`. */
function environmentUrl(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const url = env?.['GRAPHQL_URL'];
  return url === undefined || url === '' ? undefined : url;
}

interface WireError {
  readonly message?: unknown;
  readonly path?: unknown;
  readonly extensions?: Record<string, unknown>;
}

interface WireBody {
  readonly data?: unknown;
  readonly errors?: readonly WireError[];
}

function toResponseError(error: WireError): ResponseError {
  const { code, ...rest } = error.extensions ?? {};
  const path = Array.isArray(error.path) ? (error.path as Array<string | number>) : undefined;
  return {
    message: typeof error.message === 'string' ? error.message : 'Unknown error',
    ...(path === undefined ? {} : { path }),
    // A code outside the contract (a gateway in between, a newer server) is
    // reported as INTERNAL_SERVER_ERROR, with the original kept alongside.
    extensions: isErrorCode(code) ? { ...rest, code } : { ...rest, code: 'INTERNAL_SERVER_ERROR', originalCode: code },
  };
}

/**
 * Runs one operation. `TResult` and `TVariables` come from the document, so
 * `variables` is checked against the operation and `data` has its exact shape.
 * GraphQL errors (NOT_FOUND, UPSTREAM_UNAVAILABLE, ...) come back in `errors`
 * next to whatever data resolved; anything else throws a RequestError.
 */
export async function request<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  options: RequestOptions = {},
): Promise<Response<TResult>> {
  const url = options.url ?? environmentUrl() ?? DEFAULT_GRAPHQL_URL;
  const doFetch = options.fetch ?? fetch;
  let response: globalThis.Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...options.headers },
      body: JSON.stringify({ query: print(document), variables }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    throw new RequestError(`Could not reach ${url}`, undefined, [], { cause: error });
  }

  const text = await response.text();
  let body: WireBody | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && ('data' in parsed || 'errors' in parsed)) body = parsed as WireBody;
  } catch {
    // Not JSON: handled below.
  }
  if (body === undefined) throw new RequestError(`${url} answered HTTP ${response.status} without a GraphQL body`, response.status);
  if (!response.ok) {
    const errors = body.errors ?? [];
    const codes = errors.map((error) => {
      const code = error.extensions?.['code'];
      return typeof code === 'string' ? code : 'UNKNOWN';
    });
    const messages = errors.map((error) => String(error.message)).join('; ');
    throw new RequestError(`HTTP ${response.status}: ${messages || 'request refused'}`, response.status, codes);
  }
  return {
    data: body.data as TResult | null | undefined,
    errors: (body.errors ?? []).map(toResponseError),
  };
}

/** The first error with one of `codes` at `path` (or anywhere, without a path). */
export function findError(
  errors: readonly ResponseError[],
  codes: readonly ErrorCode[],
  path?: ReadonlyArray<string | number>,
): ResponseError | undefined {
  return errors.find(
    (error) =>
      codes.includes(error.extensions.code) &&
      (path === undefined || (error.path !== undefined && path.every((segment, index) => error.path?.[index] === segment))),
  );
}
