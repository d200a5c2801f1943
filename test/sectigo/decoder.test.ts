import { describe, expect, it } from 'vitest';
import { SectigoError, type SectigoErrorCode } from '../../src/sectigo/errors.js';
import { decodeBytes, decodeText, encodeWire, flattenJson, type WireResponse } from '../../src/sectigo/wire.js';
import { fixtureBytes, fixtureText } from './fixture.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
/** Planted in hostile bodies: no error may ever repeat it. */
const MARKER = 'BODY-MARKER-7f3a';

function fields(wire: WireResponse, order: number, certificate?: number): Record<string, string> {
  const o = wire.orders.find((candidate) => candidate.index === order);
  if (o === undefined) throw new Error(`no order ${order}`);
  if (certificate === undefined) return Object.fromEntries(o.fields);
  const c = o.certificates.find((candidate) => candidate.index === certificate);
  if (c === undefined) throw new Error(`no certificate ${order}_${certificate}`);
  return Object.fromEntries(c.fields);
}

function decodeError(run: () => unknown): SectigoError {
  try {
    run();
  } catch (error) {
    if (error instanceof SectigoError) return error;
    throw new Error(`expected a SectigoError, got ${String(error)}`);
  }
  throw new Error('expected the body to be refused, but it decoded');
}

function expectNoMarker(error: SectigoError): void {
  expect(error.message).not.toContain(MARKER);
  expect(String(error)).not.toContain(MARKER);
  expect(JSON.stringify(error)).not.toContain(MARKER);
  // String() on purpose: the cause must not leak however it is printed.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  expect(String(error.cause ?? '')).not.toContain(MARKER);
}

describe('decoding the published samples', () => {
  const sample = decodeText(fixtureText('sectigo-sample-success.form'), FORM);

  it('reads the sample success answer as errorCode 0 with one order and one certificate', () => {
    expect(sample.errorCode).toBe(0);
    expect(sample.errorMessage).toBeUndefined();
    expect(sample.extra.size).toBe(0);
    expect(sample.orders.map((o) => o.index)).toEqual([1]);
    expect(sample.orders[0]?.certificates.map((c) => c.index)).toEqual([1]);
  });

  it('decodes every order field of the sample, turning + into spaces and %3A into a colon', () => {
    expect(fields(sample, 1)).toEqual({
      orderNumber: '*******',
      orderDateTime: '2025-01-01 13:52',
      orderStatus: 'Pending',
      orderStatusReason: '',
    });
  });

  it.each([
    ['serialNumber', ''],
    ['objectType', 'Verified Mark Certificate (VMC) (2 of 2 Domains)'],
    ['certificateDuration', '365'],
    ['productTermDuration', '365'],
    ['FQDN', '**********.com%2********.com'],
    ['certificateStatus', 'Awaiting Validation'],
    ['evClickThroughStatus', '0'],
    ['trademarkOffice', 'United States Copyright Office'],
    ['trademarkIdentifier', '*********0'],
    ['trademarkCountryName', 'United States'],
    ['trademarkCountry2CharCode', 'US'],
    ['logoHostedByCA', '-1'],
  ])('decodes the sample certificate field %s as %j', (name, value) => {
    expect(fields(sample, 1, 1)[name]).toBe(value);
  });

  it('decodes exactly the twelve certificate fields the sample carries', () => {
    expect(Object.keys(fields(sample, 1, 1))).toHaveLength(12);
  });

  it('keeps the malformed escape %2* literally, as the WHATWG form parser does, without throwing', () => {
    expect(new URLSearchParams('v=a%2*b').get('v')).toBe('a%2*b');
    expect(fields(sample, 1, 1)['FQDN']).toBe(new URLSearchParams('v=**********.com%2********.com').get('v'));
  });

  it('re-encodes the sample byte for byte, except that the malformed escape comes out properly escaped', () => {
    const body = fixtureText('sectigo-sample-success.form');
    const again = encodeWire(sample, 1);
    expect(again).toBe(body.replace('%2*', '%252*'));
    expect(decodeText(again, FORM)).toEqual(sample);
  });

  it('reads the single-quoted sample error answer as errorCode -4 with its message', () => {
    const wire = decodeText(fixtureText('sectigo-sample-error.json'), JSON_TYPE);
    expect(wire).toEqual({
      errorCode: -4,
      errorMessage: "The value of the 'orderNumber' argument is invalid!",
      orders: [],
      extra: new Map(),
    });
  });

  it('recognises the sample error answer as JSON by its leading brace when no content type is sent', () => {
    const wire = decodeText(fixtureText('sectigo-sample-error.json'), undefined);
    expect(wire.errorCode).toBe(-4);
  });

  it('decodes the sample error answer from raw bytes the same way', () => {
    expect(decodeBytes(fixtureBytes('sectigo-sample-error.json'), 'application/json; charset=utf-8')).toEqual(
      decodeText(fixtureText('sectigo-sample-error.json'), JSON_TYPE),
    );
  });

  it('reads a url-encoded error answer and keeps its errorDetail in extra', () => {
    const wire = decodeText(fixtureText('error-missing-argument-with-detail.form'), FORM);
    expect(wire.errorCode).toBe(-3);
    expect(wire.errorMessage).toBe("The 'orderNumber' argument is missing!");
    expect(Object.fromEntries(wire.extra)).toEqual({ errorDetail: 'Provide orderNumber or certificateID' });
    expect(wire.orders).toEqual([]);
  });

  it('reads a flat JSON success answer like the url-encoded one', () => {
    const wire = decodeText(fixtureText('json-flat-success.json'), JSON_TYPE);
    expect(wire.errorCode).toBe(0);
    expect(wire.errorMessage).toBe('');
    expect(fields(wire, 1)).toEqual({
      orderNumber: '1234567',
      orderDateTime: '2025-06-11 11:57',
      orderStatus: 'Issued',
      orderStatusReason: '',
    });
    expect(fields(wire, 1, 1)['FQDN']).toBe('example.com,www.example.com');
    expect(fields(wire, 1, 1)['notBefore']).toBe('1735689600');
  });
});

describe('decoding JSON answers', () => {
  it.each([
    ['a number', '{"errorCode": -4, "errorMessage": "x"}', -4],
    ['a string', '{"errorCode": "-4", "errorMessage": "x"}', -4],
    ['a padded string', '{"errorCode": " -16 "}', -16],
    ['a single-quoted string', "{'errorCode': '-17'}", -17],
    ['zero as a number', '{"errorCode": 0, "1_orderNumber": "1"}', 0],
    ['zero as a string', '{"errorCode": "0", "1_orderNumber": "1"}', 0],
    ['a positive number', '{"errorCode": 14}', 14],
  ])('reads an errorCode sent as %s', (_shape, body, code) => {
    expect(decodeText(body, JSON_TYPE).errorCode).toBe(code);
  });

  it('turns numbers, booleans and null into the strings the url-encoded form would carry', () => {
    const wire = decodeText(
      '{"errorCode": 0, "1_orderNumber": 1234567, "1_1_certificateDuration": 365, "1_1_flag": true, "1_1_serialNumber": null}',
      JSON_TYPE,
    );
    expect(fields(wire, 1)).toEqual({ orderNumber: '1234567' });
    expect(fields(wire, 1, 1)).toEqual({ certificateDuration: '365', flag: 'true', serialNumber: '' });
  });

  it('does not percent-decode JSON values: + and %2B stay as sent', () => {
    const wire = decodeText('{"errorCode": "0", "1_orderStatus": "a+b %2B c%25"}', JSON_TYPE);
    expect(fields(wire, 1)['orderStatus']).toBe('a+b %2B c%25');
  });

  const flat = {
    errorCode: '0',
    '1_orderNumber': '1234567',
    '1_orderStatus': 'Issued',
    '1_1_serialNumber': 'AA',
    '1_2_serialNumber': 'BB',
    '2_orderNumber': '7654321',
    '2_1_serialNumber': 'CC',
  };
  const nestedShapes: Array<[string, unknown]> = [
    [
      'orders and certificates as objects keyed by index',
      {
        errorCode: '0',
        1: { orderNumber: '1234567', orderStatus: 'Issued', 1: { serialNumber: 'AA' }, 2: { serialNumber: 'BB' } },
        2: { orderNumber: '7654321', 1: { serialNumber: 'CC' } },
      },
    ],
    [
      'certificates as an array under the order index',
      {
        errorCode: '0',
        '1_orderNumber': '1234567',
        '1_orderStatus': 'Issued',
        1: [{ serialNumber: 'AA' }, { serialNumber: 'BB' }],
        '2_orderNumber': '7654321',
        2: [{ serialNumber: 'CC' }],
      },
    ],
    [
      'a certificate object under an X_Y key',
      {
        errorCode: '0',
        '1_orderNumber': '1234567',
        '1_orderStatus': 'Issued',
        '1_1': { serialNumber: 'AA' },
        '1_2': { serialNumber: 'BB' },
        '2_orderNumber': '7654321',
        '2_1': { serialNumber: 'CC' },
      },
    ],
  ];

  it.each(nestedShapes)('flattens %s into the same keys as the flat answer', (_shape, nested) => {
    const expected = decodeText(JSON.stringify(flat), JSON_TYPE);
    expect(decodeText(JSON.stringify(nested), JSON_TYPE)).toEqual(expected);
  });

  it('numbers array items from 1 when flattening', () => {
    expect(flattenJson({ a: ['x', { b: 'y' }], c: [] })).toEqual([
      ['a_1', 'x'],
      ['a_2_b', 'y'],
    ]);
    expect(flattenJson(['p', 'q'])).toEqual([
      ['1', 'p'],
      ['2', 'q'],
    ]);
  });

  it('accepts objects nested eight levels below the top and refuses the ninth', () => {
    const nest = (levels: number): string => {
      let value: unknown = { leaf: 'v' };
      for (let i = 1; i < levels; i++) value = { k: value };
      return JSON.stringify({ errorCode: '0', deep: value });
    };
    expect([...decodeText(nest(8), JSON_TYPE).extra.keys()]).toEqual(['deep_k_k_k_k_k_k_k_leaf']);
    expect(decodeError(() => decodeText(nest(9), JSON_TYPE)).code).toBe('SECTIGO_UNDECODABLE_RESPONSE');
  });

  it('refuses JSON nested a hundred thousand levels deep quickly and without a stack overflow', () => {
    const depth = 100_000;
    const body = `{"errorCode":"0","a":${'{"a":'.repeat(depth)}"${MARKER}"${'}'.repeat(depth)}}`;
    const error = decodeError(() => decodeText(body, JSON_TYPE));
    expect(error.code).toBe('SECTIGO_UNDECODABLE_RESPONSE');
    expectNoMarker(error);
  });
});

describe('decoding url-encoded values', () => {
  it.each([
    ['+ as a space', 'a+b', 'a b'],
    ['%20 as a space', 'a%20b', 'a b'],
    ['%2B as a plus, decoded once', '%2B44', '+44'],
    ['%2525 as %25, decoded once', '100%2525', '100%25'],
    ['%25 as a percent sign', '100%25', '100%'],
    ['%27 and %21 as quote and bang', '%27x%27%21', "'x'!"],
    ['UTF-8 escapes as the character', 'Zo%C3%AB+%F0%9F%94%92', 'Zoë 🔒'],
    ['raw UTF-8 as is', 'Zoë', 'Zoë'],
    ['an empty value as the empty string', '', ''],
    ['a stray % as is', '50%', '50%'],
  ])('decodes %s', (_what, encoded, decoded) => {
    const wire = decodeText(`errorCode=0&1_orderStatus=${encoded}`, FORM);
    expect(fields(wire, 1)['orderStatus']).toBe(decoded);
  });

  it('percent-decodes keys too', () => {
    const wire = decodeText('errorCode=0&1_1_%46QDN=example.com', FORM);
    expect(fields(wire, 1, 1)).toEqual({ FQDN: 'example.com' });
  });

  it('reads errorCode -3 and its message from the url-encoded error shape public clients show', () => {
    const wire = decodeText('errorCode=-3&errorMessage=The+%27x%27+argument+is+missing%21', FORM);
    expect(wire.errorCode).toBe(-3);
    expect(wire.errorMessage).toBe("The 'x' argument is missing!");
  });

  it('reads a negative errorCode as negative', () => {
    expect(decodeText('errorCode=-16&errorMessage=Permission+denied%21', FORM).errorCode).toBe(-16);
  });
});

describe('grouping keys into orders and certificates', () => {
  const wire = decodeText(
    [
      'errorCode=0',
      '10_orderNumber=ten',
      '2_orderNumber=two',
      '1_1_10_custom=deep',
      '1_10_serialNumber=c10',
      '1_2_serialNumber=c2',
      '1_1_serialNumber=c1',
      '1_orderNumber=one',
      '3_1_serialNumber=only-a-certificate',
      '1_1_some_field=underscored',
      'errorDetail=more',
      '0_orderNumber=zero',
      '01_orderNumber=leading-zero',
      'x_1_y=letters',
    ].join('&'),
    FORM,
  );

  it('orders orders and certificates by numeric index, so 2 comes before 10', () => {
    expect(wire.orders.map((o) => o.index)).toEqual([1, 2, 3, 10]);
    expect(wire.orders[0]?.certificates.map((c) => c.index)).toEqual([1, 2, 10]);
  });

  it('puts X_field keys on order X, without the prefix', () => {
    expect(fields(wire, 1)).toEqual({ orderNumber: 'one' });
    expect(fields(wire, 10)).toEqual({ orderNumber: 'ten' });
  });

  it('puts X_Y_field keys on certificate Y of order X, keeping underscores after the second index in the name', () => {
    expect(fields(wire, 1, 1)).toEqual({ serialNumber: 'c1', '10_custom': 'deep', some_field: 'underscored' });
    expect(fields(wire, 1, 10)).toEqual({ serialNumber: 'c10' });
  });

  it('creates an order for a certificate key even when the order has no fields of its own', () => {
    expect(fields(wire, 3)).toEqual({});
    expect(fields(wire, 3, 1)).toEqual({ serialNumber: 'only-a-certificate' });
  });

  it('keeps every other top-level key in extra, including index 0 and zero-padded indexes', () => {
    expect(Object.fromEntries(wire.extra)).toEqual({
      errorDetail: 'more',
      '0_orderNumber': 'zero',
      '01_orderNumber': 'leading-zero',
      x_1_y: 'letters',
    });
  });
});

interface HostileBody {
  readonly name: string;
  readonly body: string;
  readonly contentType: string | undefined;
  readonly code: SectigoErrorCode;
}

const hostile: HostileBody[] = [
  { name: 'an empty body', body: '', contentType: FORM, code: 'SECTIGO_NOT_AN_API_RESPONSE' },
  { name: 'a whitespace-only body', body: ' \r\n\t ', contentType: undefined, code: 'SECTIGO_NOT_AN_API_RESPONSE' },
  { name: 'an empty body labelled JSON', body: '', contentType: JSON_TYPE, code: 'SECTIGO_NOT_AN_API_RESPONSE' },
  {
    name: 'an HTML 502 page labelled text/html',
    body: fixtureText('html-502.html'),
    contentType: 'text/html; charset=utf-8',
    code: 'SECTIGO_NOT_AN_API_RESPONSE',
  },
  {
    name: 'an HTML page labelled form-encoded (leading <)',
    body: fixtureText('html-502.html'),
    contentType: FORM,
    code: 'SECTIGO_NOT_AN_API_RESPONSE',
  },
  {
    name: 'an HTML page labelled JSON (leading <)',
    body: `  <html>${MARKER}</html>`,
    contentType: JSON_TYPE,
    code: 'SECTIGO_NOT_AN_API_RESPONSE',
  },
  {
    name: 'a text/html body that does not start with <',
    body: `errorCode=0&1_orderNumber=${MARKER}`,
    contentType: 'Text/HTML',
    code: 'SECTIGO_NOT_AN_API_RESPONSE',
  },
  {
    name: 'a plain-text Internal Server Error',
    body: fixtureText('internal-server-error.txt'),
    contentType: 'text/plain',
    code: 'SECTIGO_NOT_AN_API_RESPONSE',
  },
  {
    name: 'plain text with an = sign',
    body: `status=${MARKER} maintenance`,
    contentType: 'text/plain',
    code: 'SECTIGO_NOT_AN_API_RESPONSE',
  },
  {
    name: 'order keys without an errorCode',
    body: `1_orderNumber=${MARKER}&1_1_serialNumber=AA`,
    contentType: FORM,
    code: 'SECTIGO_MISSING_ERROR_CODE',
  },
  {
    name: 'JSON order keys without an errorCode',
    body: `{"1_orderNumber": "${MARKER}"}`,
    contentType: JSON_TYPE,
    code: 'SECTIGO_MISSING_ERROR_CODE',
  },
  { name: 'an errorCode of abc', body: `errorCode=abc&errorMessage=${MARKER}`, contentType: FORM, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'an errorCode of 1.5', body: `errorCode=1.5&1_orderNumber=${MARKER}`, contentType: FORM, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'an empty errorCode', body: `errorCode=&1_orderNumber=${MARKER}`, contentType: FORM, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'an errorCode in hex', body: 'errorCode=0x10', contentType: FORM, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'an errorCode in exponent form', body: 'errorCode=1e3', contentType: FORM, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'an errorCode of ten digits', body: 'errorCode=-1000000000', contentType: FORM, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  {
    name: 'a JSON errorCode of 1.5',
    body: `{"errorCode": 1.5, "m": "${MARKER}"}`,
    contentType: JSON_TYPE,
    code: 'SECTIGO_UNDECODABLE_RESPONSE',
  },
  {
    name: 'a JSON errorCode of null',
    body: `{"errorCode": null, "m": "${MARKER}"}`,
    contentType: JSON_TYPE,
    code: 'SECTIGO_UNDECODABLE_RESPONSE',
  },
  { name: 'a JSON errorCode of true', body: '{"errorCode": true}', contentType: JSON_TYPE, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'truncated JSON', body: fixtureText('truncated.json'), contentType: JSON_TYPE, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  {
    name: 'truncated JSON with the marker inside',
    body: `{"errorCode": "0", "1_orderNumber": "${MARKER}`,
    contentType: JSON_TYPE,
    code: 'SECTIGO_UNDECODABLE_RESPONSE',
  },
  { name: 'unparseable JSON without a content type', body: `{${MARKER}}}`, contentType: undefined, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'a JSON array', body: `[{"errorCode": "0", "x": "${MARKER}"}]`, contentType: JSON_TYPE, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'a JSON string', body: `"${MARKER}"`, contentType: JSON_TYPE, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'a JSON number', body: '42', contentType: JSON_TYPE, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'JSON null', body: 'null', contentType: JSON_TYPE, code: 'SECTIGO_UNDECODABLE_RESPONSE' },
  { name: 'a JSON array without a content type', body: `["${MARKER}"]`, contentType: undefined, code: 'SECTIGO_NOT_AN_API_RESPONSE' },
  {
    name: 'a form body labelled JSON',
    body: `errorCode=0&1_orderNumber=${MARKER}`,
    contentType: JSON_TYPE,
    code: 'SECTIGO_UNDECODABLE_RESPONSE',
  },
  {
    name: 'JSON nested nine levels deep',
    body: JSON.stringify({ errorCode: '0', a: { b: { c: { d: { e: { f: { g: { h: { i: { j: MARKER } } } } } } } } } }),
    contentType: JSON_TYPE,
    code: 'SECTIGO_UNDECODABLE_RESPONSE',
  },
];

describe('refusing bodies that are not API answers', () => {
  it.each(hostile)('refuses $name with $code', ({ body, contentType, code }) => {
    const error = decodeError(() => decodeText(body, contentType));
    expect(error.code).toBe(code);
    expect(error.sectigoErrorCode).toBeUndefined();
  });

  it.each(hostile)('never repeats any of $name in the error', ({ body, contentType }) => {
    const error = decodeError(() => decodeText(body, contentType));
    expectNoMarker(error);
    // Nor a fragment of the body, whatever it is.
    for (const word of body.split(/[^A-Za-z0-9-]+/).filter((w) => w.length >= 12)) {
      expect(error.message).not.toContain(word);
    }
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated two-byte sequence', [0xc3]],
    ['an overlong encoding of /', [0xc0, 0xaf]],
    ['an encoded surrogate half', [0xed, 0xa0, 0x80]],
    ['bytes beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['0xFF', [0xff]],
  ])('refuses a body with invalid UTF-8 (%s) as undecodable instead of inventing replacement characters', (_what, bad) => {
    const body = new Uint8Array([
      ...new TextEncoder().encode(`errorCode=0&1_orderNumber=${MARKER}&1_orderStatus=`),
      ...bad,
      ...new TextEncoder().encode('x'),
    ]);
    const error = decodeError(() => decodeBytes(body, FORM));
    expect(error.code).toBe('SECTIGO_UNDECODABLE_RESPONSE');
    expectNoMarker(error);
  });

  it('refuses HTML bytes the same way as HTML text', () => {
    const error = decodeError(() => decodeBytes(fixtureBytes('html-502.html'), 'text/html'));
    expect(error.code).toBe('SECTIGO_NOT_AN_API_RESPONSE');
    expectNoMarker(error);
  });

  it('skips a UTF-8 byte order mark', () => {
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('errorCode=0&1_orderNumber=1')]);
    expect(decodeBytes(body, FORM).errorCode).toBe(0);
  });

  it('decodes a url-encoded body cut off mid-key as far as it goes: truncation is not detectable here', () => {
    const wire = decodeText(fixtureText('truncated.form'), FORM);
    expect(fields(wire, 1, 1)).toEqual({ serialNumber: '4F2A9C', certificateSta: '' });
  });
});

describe('large bodies', () => {
  const FIVE_MB = 5 * 1024 * 1024;

  it('decodes a 5 MB url-encoded body of valid keys without throwing', () => {
    const parts = ['errorCode=0', '1_orderNumber=1234567'];
    let size = parts.join('&').length;
    let n = 0;
    while (size < FIVE_MB) {
      n += 1;
      const part = `1_${n}_serialNumber=${n.toString(16).padStart(32, '0')}`;
      parts.push(part);
      size += part.length + 1;
    }
    const wire = decodeText(parts.join('&'), FORM);
    const certificates = wire.orders[0]?.certificates ?? [];
    expect(certificates).toHaveLength(n);
    expect(certificates.at(-1)?.index).toBe(n);
  });

  it('decodes a 5 MB JSON body of valid keys without throwing', () => {
    const body: Record<string, string> = { errorCode: '0' };
    let size = 0;
    let n = 0;
    while (size < FIVE_MB) {
      n += 1;
      const key = `1_${n}_serialNumber`;
      const value = n.toString(16).padStart(32, '0');
      body[key] = value;
      size += key.length + value.length + 6;
    }
    const text = JSON.stringify(body);
    expect(text.length).toBeGreaterThanOrEqual(FIVE_MB);
    expect(decodeText(text, JSON_TYPE).orders[0]?.certificates).toHaveLength(n);
  });

  it('refuses 5 MB of text that is not an answer without repeating it', () => {
    const body = `${MARKER} `.repeat(Math.ceil(FIVE_MB / (MARKER.length + 1)));
    const error = decodeError(() => decodeText(body, 'text/plain'));
    expect(error.code).toBe('SECTIGO_NOT_AN_API_RESPONSE');
    expectNoMarker(error);
  });
});
