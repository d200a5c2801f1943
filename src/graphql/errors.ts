/**
 * The error contract: a string `extensions.code` (and, for upstream answers,
 * `extensions.sectigoErrorCode`). Error classes stay internal; nothing from
 * an upstream body, a stack or a credential reaches a client.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { RequestBudgetExceeded } from '../loading/order-loader.js';
import { SectigoError } from '../sectigo/errors.js';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UPSTREAM_AUTH_FAILED'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_UNAVAILABLE'
  /** The operation's estimated cost is over QUERY_MAX_COST (the Apollo Router's code for the same refusal). */
  | 'COST_ESTIMATED_TOO_EXPENSIVE'
  | 'INTERNAL_SERVER_ERROR';

export function badUserInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
}

/** -4 on the argument that names the order means "no such order on this account". */
const ORDER_ARGUMENTS = new Set(['ordernumber', 'certificateid']);

export function codeFor(error: SectigoError): Extract<ErrorCode, `UPSTREAM_${string}` | 'NOT_FOUND'> {
  if (error.isUnavailable) return 'UPSTREAM_UNAVAILABLE';
  switch (error.code) {
    case 'SECTIGO_INVALID_ARGUMENT':
      // The id is the only value a client controls, so a -4 that names no argument is about it too.
      return error.argument === undefined || ORDER_ARGUMENTS.has(error.argument.toLowerCase()) ? 'NOT_FOUND' : 'UPSTREAM_ERROR';
    case 'SECTIGO_AUTH_FAILED':
      return 'UPSTREAM_AUTH_FAILED';
    default:
      return 'UPSTREAM_ERROR';
  }
}

/**
 * An upstream failure as the client sees it. The message is ours (built from
 * the code); `cause` is deliberately not attached.
 */
export function toGraphQLError(error: unknown, subject: string): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof RequestBudgetExceeded) return new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
  if (!(error instanceof SectigoError)) {
    // Unexpected: formatError masks it; the original goes to the log.
    return new GraphQLError('Unexpected error', { originalError: error instanceof Error ? error : new Error(String(error)) });
  }
  const code = codeFor(error);
  const message = code === 'NOT_FOUND' ? `${subject} was not found on this Sectigo account` : `${subject}: ${error.message}`;
  const extensions: Record<string, unknown> = { code, upstreamCode: error.code };
  if (error.sectigoErrorCode !== undefined) extensions['sectigoErrorCode'] = error.sectigoErrorCode;
  return new GraphQLError(message, { extensions });
}

const CONTRACT_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_ERROR',
  'UPSTREAM_UNAVAILABLE',
  'COST_ESTIMATED_TOO_EXPENSIVE',
]);

/** Apollo Server's own request errors: safe to show as they are. */
const APOLLO_REQUEST_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo Server `formatError`: errors we raised on purpose pass through
 * (without stack traces when `hideStacks`); anything else is masked.
 */
export function createFormatError(options: { hideStacks: boolean; onUnexpected?: (error: unknown) => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    const known = typeof code === 'string' && (CONTRACT_CODES.has(code) || APOLLO_REQUEST_CODES.has(code));
    if (known) {
      if (!options.hideStacks || formatted.extensions?.['stacktrace'] === undefined) return formatted;
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // Apollo's own request errors that it leaves without a code (a persisted
    // query whose hash does not match, ...) carry a 4xx status: the client's
    // mistake, shown as BAD_REQUEST rather than masked as ours.
    if (formatted.path === undefined && isClientStatusError(error)) {
      return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    }
    const unwrapped = unwrapResolverError(error);
    options.onUnexpected?.(unwrapped instanceof GraphQLError && unwrapped.originalError !== undefined ? unwrapped.originalError : unwrapped);
    const masked: GraphQLFormattedError = {
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
    return {
      ...masked,
      ...(formatted.path === undefined ? {} : { path: formatted.path }),
      ...(formatted.locations === undefined ? {} : { locations: formatted.locations }),
    };
  };
}

function isClientStatusError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.originalError !== undefined || error.extensions['code'] !== undefined) return false;
  const http: unknown = error.extensions['http'];
  const status = typeof http === 'object' && http !== null && 'status' in http ? http.status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
}
