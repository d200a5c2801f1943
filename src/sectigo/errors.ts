/**
 * Everything that can go wrong talking to Sectigo, as one error class with a
 * stable `code`. The error never holds the response body or the credentials:
 * only the numeric upstream code, the argument it names (checked to look like
 * an argument name) and, for HTTP failures, the status.
 */

/**
 * Every code a SectigoError carries, with what it means: the finer reason
 * behind a client's `extensions.code`, sent as `extensions.upstreamCode`.
 * Stable: docs/errors.md lists them (a test checks it), and clients may log
 * or show them; they match on `code`.
 */
export const SECTIGO_ERROR_CODES = {
  SECTIGO_HTTPS_REQUIRED: '-1: request was not made over https.',
  SECTIGO_UNRECOGNISED_ARGUMENT: '-2: an argument the endpoint does not know.',
  SECTIGO_MISSING_ARGUMENT: '-3: a required argument is missing.',
  SECTIGO_INVALID_ARGUMENT: "-4: an argument's value is invalid (for orderNumber/certificateID: no such order).",
  SECTIGO_UNKNOWN_ERROR: '-14 (printed as 14 on one page): unknown upstream error.',
  SECTIGO_NOT_ENOUGH_CREDIT: '-15: not enough credit.',
  SECTIGO_AUTH_FAILED: '-16: login failed, account locked, password expired or source IP blocked.',
  SECTIGO_METHOD_NOT_ALLOWED: '-17: request used GET rather than POST.',
  SECTIGO_UNDOCUMENTED_ERROR: 'any other errorCode, negative or positive.',
  SECTIGO_HTTP_STATUS: 'the HTTP status was not 2xx.',
  SECTIGO_NOT_AN_API_RESPONSE: 'the body is not an API answer: an HTML or plain-text page.',
  SECTIGO_MISSING_ERROR_CODE: 'an API-shaped body without `errorCode`.',
  SECTIGO_UNDECODABLE_RESPONSE: 'the body could not be decoded (bad JSON, invalid UTF-8, non-numeric errorCode).',
  SECTIGO_WRONG_ORDER: 'the answer is about another order than the one asked for.',
  SECTIGO_RESPONSE_TOO_LARGE: 'the body exceeded the configured size limit.',
  SECTIGO_TIMEOUT: "one attempt took longer than UPSTREAM_TIMEOUT_MS, or the order's UPSTREAM_DEADLINE_MS passed (waiting included).",
  SECTIGO_CONNECTION_FAILED: 'the connection could not be made or broke before the answer was complete.',
  SECTIGO_CIRCUIT_OPEN: 'refused locally: the circuit breaker is open after repeated transient failures.',
  SECTIGO_CANCELLED: 'given up locally: the subgraph is shutting down and its grace period is ending.',
} as const;

export type SectigoErrorCode = keyof typeof SECTIGO_ERROR_CODES;

export interface SectigoErrorDetails {
  /** The numeric errorCode from the upstream, when it sent one. */
  readonly sectigoErrorCode?: number;
  /** For -2/-3/-4: the argument the upstream message names. */
  readonly argument?: string;
  /** For SECTIGO_HTTP_STATUS. */
  readonly httpStatus?: number;
  readonly cause?: unknown;
}

export class SectigoError extends Error {
  override readonly name = 'SectigoError';
  readonly code: SectigoErrorCode;
  readonly sectigoErrorCode: number | undefined;
  readonly argument: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(code: SectigoErrorCode, message: string, details: SectigoErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.sectigoErrorCode = details.sectigoErrorCode;
    this.argument = details.argument;
    this.httpStatus = details.httpStatus;
  }

  /** The upstream could not be reached or answer: timeouts, connection failures, HTTP 5xx, an open circuit, shutdown. */
  get isUnavailable(): boolean {
    return (
      this.code === 'SECTIGO_TIMEOUT' ||
      this.code === 'SECTIGO_CONNECTION_FAILED' ||
      this.code === 'SECTIGO_CIRCUIT_OPEN' ||
      this.code === 'SECTIGO_CANCELLED' ||
      (this.code === 'SECTIGO_HTTP_STATUS' && (this.httpStatus ?? 0) >= 500)
    );
  }

  /**
   * Worth a retry: unavailability (except an open circuit, which retrying
   * would only hit again) and -14, Sectigo's "unknown error".
   */
  get isTransient(): boolean {
    return (
      (this.isUnavailable && this.code !== 'SECTIGO_CIRCUIT_OPEN' && this.code !== 'SECTIGO_CANCELLED') ||
      this.code === 'SECTIGO_UNKNOWN_ERROR'
    );
  }
}

const ARGUMENT_IN_MESSAGE = /'([A-Za-z][A-Za-z0-9_]{0,63})'/;

/** The argument named in a -2/-3/-4 message, if the message has the documented shape. */
export function argumentNamedIn(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  return ARGUMENT_IN_MESSAGE.exec(message)?.[1];
}

/**
 * The typed error for a non-zero errorCode. Our own message is built from the
 * code; the upstream's text is only mined for the argument name.
 */
export function errorForCode(errorCode: number, errorMessage: string | undefined): SectigoError {
  const argument = errorCode >= -4 && errorCode <= -2 ? argumentNamedIn(errorMessage) : undefined;
  const details = argument === undefined ? { sectigoErrorCode: errorCode } : { sectigoErrorCode: errorCode, argument };
  const named = argument === undefined ? 'an argument' : `the '${argument}' argument`;
  switch (errorCode) {
    case -1:
      return new SectigoError('SECTIGO_HTTPS_REQUIRED', 'Sectigo refused the request: it was not made over https (-1)', details);
    case -2:
      return new SectigoError('SECTIGO_UNRECOGNISED_ARGUMENT', `Sectigo did not recognise ${named} (-2)`, details);
    case -3:
      return new SectigoError('SECTIGO_MISSING_ARGUMENT', `Sectigo reports ${named} missing (-3)`, details);
    case -4:
      return new SectigoError('SECTIGO_INVALID_ARGUMENT', `Sectigo rejected the value of ${named} (-4)`, details);
    case -14:
    case 14:
      return new SectigoError('SECTIGO_UNKNOWN_ERROR', `Sectigo reported an unknown error (${errorCode})`, details);
    case -15:
      return new SectigoError('SECTIGO_NOT_ENOUGH_CREDIT', 'Sectigo reports not enough credit on the account (-15)', details);
    case -16:
      return new SectigoError(
        'SECTIGO_AUTH_FAILED',
        'Sectigo refused the login: wrong credentials, locked account, expired password or blocked source IP (-16)',
        details,
      );
    case -17:
      return new SectigoError('SECTIGO_METHOD_NOT_ALLOWED', 'Sectigo refused the request method: it must be POST (-17)', details);
    default:
      return new SectigoError('SECTIGO_UNDOCUMENTED_ERROR', `Sectigo answered with an undocumented errorCode (${errorCode})`, details);
  }
}
