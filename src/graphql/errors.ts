/**
 * The error contract: a string `extensions.code` (and, for upstream answers,
 * `extensions.sectigoErrorCode`). Error classes stay internal; nothing from
 * an upstream body, a stack or a credential reaches a client.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, SHOWN_AS_RAISED } from '../errors.js';
import { RequestBudgetExceeded } from '../loading/order-loader.js';
import { SectigoError } from '../sectigo/errors.js';

export function badUserInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName } });
}

/** -4 on the argument that names the order means "no such order on this account". */
const ORDER_ARGUMENTS = new Set(['ordernumber', 'certificateid']);

export function codeFor(error: SectigoError): Extract<ErrorCode, `UPSTREAM_${string}` | 'NOT_FOUND'> {
  if (error.isUnavailable) return ErrorCode.UPSTREAM_UNAVAILABLE;
  switch (error.code) {
    case 'SECTIGO_INVALID_ARGUMENT':
      // The id is the only value a client controls, so a -4 that names no argument is about it too.
      return error.argument === undefined || ORDER_ARGUMENTS.has(error.argument.toLowerCase())
        ? ErrorCode.NOT_FOUND
        : ErrorCode.UPSTREAM_ERROR;
    case 'SECTIGO_AUTH_FAILED':
      return ErrorCode.UPSTREAM_AUTH_FAILED;
    default:
      return ErrorCode.UPSTREAM_ERROR;
  }
}

/**
 * An upstream failure as the client sees it. The message is ours (built from
 * the code); `cause` is deliberately not attached.
 */
export function toGraphQLError(error: unknown, subject: string): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof RequestBudgetExceeded) return new GraphQLError(error.message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
  if (!(error instanceof SectigoError)) {
    // Unexpected: formatError masks it; the original goes to the log.
    return new GraphQLError('Unexpected error', { originalError: error instanceof Error ? error : new Error(String(error)) });
  }
  const code = codeFor(error);
  const message = code === ErrorCode.NOT_FOUND ? `${subject} was not found on this Sectigo account` : `${subject}: ${error.message}`;
  // upstreamCode: the finer SectigoErrorCode, stable and documented (docs/errors.md); clients match on `code`.
  const extensions: Record<string, unknown> = { code, upstreamCode: error.code };
  if (error.sectigoErrorCode !== undefined) extensions['sectigoErrorCode'] = error.sectigoErrorCode;
  return new GraphQLError(message, { extensions });
}

/**
 * Apollo Server `formatError`: errors we raised on purpose pass through
 * (without stack traces when `hideStacks`); anything else is masked.
 */
export function createFormatError(options: { hideStacks: boolean; onUnexpected?: (error: unknown) => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    const known = typeof code === 'string' && SHOWN_AS_RAISED.has(code);
    if (known) {
      if (!options.hideStacks || formatted.extensions?.['stacktrace'] === undefined) return formatted;
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // Apollo's own request errors that it leaves without a code (a persisted
    // query whose hash does not match, ...) carry a 4xx status: the client's
    // mistake, shown as BAD_REQUEST rather than masked as ours.
    if (formatted.path === undefined && isClientStatusError(error)) {
      return { message: formatted.message, extensions: { code: ErrorCode.BAD_REQUEST } };
    }
    const unwrapped = unwrapResolverError(error);
    options.onUnexpected?.(
      unwrapped instanceof GraphQLError && unwrapped.originalError !== undefined ? unwrapped.originalError : unwrapped,
    );
    const masked: GraphQLFormattedError = {
      message: 'Internal server error',
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
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

/** The `extensions.code` an error carries as sent, or 'none': for log lines, spans and metric labels. */
export function codeOf(error: { readonly extensions?: Readonly<Record<string, unknown>> | undefined }): string {
  const code = error.extensions?.['code'];
  return typeof code === 'string' ? code : 'none';
}

/** An unexpected error's own code (`ERR_...`, `ECONNRESET`) or its class name: the label of its metric. */
export function unexpectedCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : typeof error;
}
