import { describe, expect, it } from 'vitest';
import { SectigoError, argumentNamedIn, errorForCode, type SectigoErrorCode } from '../../src/sectigo/errors.js';

const MARKER = 'BODY-MARKER-7f3a';

interface Documented {
  readonly sectigoErrorCode: number;
  /** The upstream's message as the doc pages print it. */
  readonly template: string;
  readonly code: SectigoErrorCode;
}

const documented: Documented[] = [
  { sectigoErrorCode: -1, template: 'Request was not made over https!', code: 'SECTIGO_HTTPS_REQUIRED' },
  { sectigoErrorCode: -2, template: "'xxxx' is an unrecognised argument!", code: 'SECTIGO_UNRECOGNISED_ARGUMENT' },
  { sectigoErrorCode: -3, template: "The 'xxxx' argument is missing!", code: 'SECTIGO_MISSING_ARGUMENT' },
  { sectigoErrorCode: -4, template: "The value of the 'orderNumber' argument is invalid!", code: 'SECTIGO_INVALID_ARGUMENT' },
  { sectigoErrorCode: -14, template: 'An unknown error occurred!', code: 'SECTIGO_UNKNOWN_ERROR' },
  { sectigoErrorCode: 14, template: 'An unknown error occurred!', code: 'SECTIGO_UNKNOWN_ERROR' },
  { sectigoErrorCode: -15, template: 'Not enough credit!', code: 'SECTIGO_NOT_ENOUGH_CREDIT' },
  {
    sectigoErrorCode: -16,
    template: 'Incorrect login details, account is locked, password has expired or your source IP is blocked.',
    code: 'SECTIGO_AUTH_FAILED',
  },
  { sectigoErrorCode: -16, template: 'Permission denied!', code: 'SECTIGO_AUTH_FAILED' },
  { sectigoErrorCode: -17, template: 'Request used GET rather than POST!', code: 'SECTIGO_METHOD_NOT_ALLOWED' },
  { sectigoErrorCode: -5, template: 'Something new!', code: 'SECTIGO_UNDOCUMENTED_ERROR' },
  { sectigoErrorCode: -99, template: 'Something new!', code: 'SECTIGO_UNDOCUMENTED_ERROR' },
  { sectigoErrorCode: -999_999_999, template: 'Something new!', code: 'SECTIGO_UNDOCUMENTED_ERROR' },
  { sectigoErrorCode: 1, template: 'A success state on a sibling endpoint', code: 'SECTIGO_UNDOCUMENTED_ERROR' },
  { sectigoErrorCode: 4, template: 'Positive four', code: 'SECTIGO_UNDOCUMENTED_ERROR' },
  { sectigoErrorCode: 16, template: 'Positive sixteen', code: 'SECTIGO_UNDOCUMENTED_ERROR' },
];

describe('errorForCode', () => {
  it.each(documented)('maps errorCode $sectigoErrorCode ($template) to $code', ({ sectigoErrorCode, template, code }) => {
    const error = errorForCode(sectigoErrorCode, template);
    expect(error).toBeInstanceOf(SectigoError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SectigoError');
    expect(error.code).toBe(code);
    expect(error.sectigoErrorCode).toBe(sectigoErrorCode);
    expect(error.httpStatus).toBeUndefined();
  });

  it.each(documented)(
    'builds its own message for $sectigoErrorCode and never repeats the upstream text',
    ({ sectigoErrorCode, template }) => {
      const error = errorForCode(sectigoErrorCode, `${template} ${MARKER}`);
      expect(error.message).not.toContain(template);
      expect(error.message).not.toContain(MARKER);
      expect(String(error)).not.toContain(MARKER);
      expect(error.message).toContain(String(sectigoErrorCode));
    },
  );

  it.each([undefined, '', 'garbage'])('maps the code alone when the upstream message is %j', (message) => {
    expect(errorForCode(-4, message).code).toBe('SECTIGO_INVALID_ARGUMENT');
    expect(errorForCode(-4, message).argument).toBeUndefined();
    expect(errorForCode(-16, message).code).toBe('SECTIGO_AUTH_FAILED');
  });

  it("reads the argument out of the documented -4 template 'The value of the 'orderNumber' argument is invalid!'", () => {
    const error = errorForCode(-4, "The value of the 'orderNumber' argument is invalid!");
    expect(error.argument).toBe('orderNumber');
    expect(error.message).toContain("'orderNumber'");
  });

  it.each([
    [-2, "'showValidity' is an unrecognised argument!", 'showValidity'],
    [-3, "The 'loginName' argument is missing!", 'loginName'],
    [-3, "The 'x' argument is missing!", 'x'],
    [-4, "The value of the 'certificateID' argument is invalid!", 'certificateID'],
  ])('reads the argument named by a %i message', (code, message, argument) => {
    const error = errorForCode(code, message);
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(`'${argument}'`);
  });

  it('repeats nothing of the upstream message but the argument name', () => {
    const error = errorForCode(-4, `The value of the 'orderNumber' argument is invalid! ${MARKER} 'other'`);
    expect(error.argument).toBe('orderNumber');
    expect(error.message).not.toContain(MARKER);
    expect(error.message).not.toContain('is invalid!');
    expect(error.message).not.toContain('other');
  });

  it.each([-1, -14, -15, -16, -17, 0, 5])('does not look for an argument in a %i message', (code) => {
    expect(errorForCode(code, "The value of the 'orderNumber' argument is invalid!").argument).toBeUndefined();
  });

  it('says "an argument" when a -2/-3/-4 message names none', () => {
    expect(errorForCode(-3, 'The argument is missing!').message).toContain('an argument');
  });

  it.each(['a password-looking value', "p@ss w0rd'", '<script>alert(1)</script>'])(
    'keeps a -4 message quoting something that is not an argument name (%s) out of the error',
    (quoted) => {
      const error = errorForCode(-4, `The value of the '${quoted}' argument is invalid!`);
      expect(error.argument).toBeUndefined();
      expect(error.message).not.toContain(quoted);
    },
  );
});

describe('argumentNamedIn', () => {
  it.each([
    ["The value of the 'orderNumber' argument is invalid!", 'orderNumber'],
    ["'certificateID' is an unrecognised argument!", 'certificateID'],
    ["The 'x' argument is missing!", 'x'],
    ["The 'login_name2' argument is missing!", 'login_name2'],
    [`The '${'a'.repeat(64)}' argument is missing!`, 'a'.repeat(64)],
    ["It's the 'queryType' argument", 'queryType'],
    ["The 'first' and 'second' arguments", 'first'],
  ])('finds the argument in %j', (message, argument) => {
    expect(argumentNamedIn(message)).toBe(argument);
  });

  it.each([
    ['no message', undefined],
    ['an empty message', ''],
    ['no quotes', 'The value of the orderNumber argument is invalid!'],
    ['double quotes', 'The value of the "orderNumber" argument is invalid!'],
    ['empty quotes', "The value of the '' argument is invalid!"],
    ['a space in the name', "The value of the 'order Number' argument is invalid!"],
    ['a leading digit', "The value of the '1orderNumber' argument is invalid!"],
    ['a leading underscore', "The value of the '_orderNumber' argument is invalid!"],
    ['a dash', "The value of the 'order-number' argument is invalid!"],
    ['markup', "The value of the '<b>' argument is invalid!"],
    ['shell syntax', "The value of the '$(id)' argument is invalid!"],
    ['a non-ASCII letter', "The value of the 'ördre' argument is invalid!"],
    ['a name of 65 characters', `The value of the '${'a'.repeat(65)}' argument is invalid!`],
    ['an unterminated quote', "The value of the 'orderNumber argument is invalid!"],
  ])('finds no argument name in a message with %s', (_what, message) => {
    expect(argumentNamedIn(message)).toBeUndefined();
  });
});

describe('isTransient', () => {
  const transient = (code: SectigoErrorCode, httpStatus?: number): boolean =>
    new SectigoError(code, 'test', httpStatus === undefined ? {} : { httpStatus }).isTransient;

  it('treats timeouts and connection failures as transient', () => {
    expect(transient('SECTIGO_TIMEOUT')).toBe(true);
    expect(transient('SECTIGO_CONNECTION_FAILED')).toBe(true);
  });

  it.each([500, 502, 503, 504, 599])('treats HTTP %i as transient', (status) => {
    expect(transient('SECTIGO_HTTP_STATUS', status)).toBe(true);
  });

  it.each([400, 401, 403, 404, 408, 429, 301])('treats HTTP %i as not transient', (status) => {
    expect(transient('SECTIGO_HTTP_STATUS', status)).toBe(false);
  });

  it('treats an HTTP status error without a status as not transient', () => {
    expect(transient('SECTIGO_HTTP_STATUS')).toBe(false);
  });

  it('treats upstream -14 (and the 14 one page prints) as transient', () => {
    expect(errorForCode(-14, 'An unknown error occurred!').isTransient).toBe(true);
    expect(errorForCode(14, 'An unknown error occurred!').isTransient).toBe(true);
  });

  // Record<SectigoErrorCode, ...> makes the compiler ask for a decision on every new code.
  const expected: Record<SectigoErrorCode, boolean> = {
    SECTIGO_HTTPS_REQUIRED: false,
    SECTIGO_UNRECOGNISED_ARGUMENT: false,
    SECTIGO_MISSING_ARGUMENT: false,
    SECTIGO_INVALID_ARGUMENT: false,
    SECTIGO_UNKNOWN_ERROR: true,
    SECTIGO_NOT_ENOUGH_CREDIT: false,
    SECTIGO_AUTH_FAILED: false,
    SECTIGO_METHOD_NOT_ALLOWED: false,
    SECTIGO_UNDOCUMENTED_ERROR: false,
    SECTIGO_HTTP_STATUS: false,
    SECTIGO_NOT_AN_API_RESPONSE: false,
    SECTIGO_MISSING_ERROR_CODE: false,
    SECTIGO_UNDECODABLE_RESPONSE: false,
    SECTIGO_RESPONSE_TOO_LARGE: false,
    SECTIGO_TIMEOUT: true,
    SECTIGO_CONNECTION_FAILED: true,
    // Refused locally: retrying at once would only hit the open circuit again.
    SECTIGO_CIRCUIT_OPEN: false,
    // An answer from Sectigo, only about the wrong order: asking again changes nothing.
    SECTIGO_WRONG_ORDER: false,
    // Our own shutdown: nothing to retry.
    SECTIGO_CANCELLED: false,
  };

  const isCode = (code: string): code is SectigoErrorCode => Object.hasOwn(expected, code);

  it.each(Object.entries(expected))('decides whether %s is transient (%s) without an HTTP status', (code, isTransient) => {
    if (!isCode(code)) throw new Error(`not a code: ${code}`);
    expect(transient(code)).toBe(isTransient);
  });

  it.each([-1, -2, -3, -4, -15, -16, -17, -5, 1, 0])('treats upstream errorCode %i as not transient', (code) => {
    expect(errorForCode(code, undefined).isTransient).toBe(false);
  });

  it('keeps the HTTP status and the cause it was given', () => {
    const cause = new Error('socket hang up');
    const error = new SectigoError('SECTIGO_HTTP_STATUS', 'Sectigo answered HTTP 503', { httpStatus: 503, cause });
    expect(error.httpStatus).toBe(503);
    expect(error.cause).toBe(cause);
    expect(error.sectigoErrorCode).toBeUndefined();
  });
});
