/**
 * The wire format of !GetDetailedOrderStatus, both ways.
 *
 * An answer is a flat set of keys: `errorCode`, `errorMessage`, `X_field` for
 * order X and `X_Y_field` for certificate Y of order X (1-based). It comes
 * url-encoded (responseFormat=1) or as JSON (responseFormat=2, for which the
 * only published sample is single-quoted and carries numbers as strings).
 * Decoding keeps every key: whatever is not an order or certificate field
 * stays in `extra`.
 */
import JSON5 from 'json5';
import { SectigoError } from './errors.js';

export type ResponseFormat = 1 | 2;

export interface WireCertificate {
  readonly index: number;
  /** Field name without the `X_Y_` prefix -> value as sent. */
  readonly fields: ReadonlyMap<string, string>;
}

export interface WireOrder {
  readonly index: number;
  /** Field name without the `X_` prefix -> value as sent. */
  readonly fields: ReadonlyMap<string, string>;
  readonly certificates: readonly WireCertificate[];
}

export interface WireResponse {
  readonly errorCode: number;
  readonly errorMessage: string | undefined;
  readonly orders: readonly WireOrder[];
  /** Top-level keys other than errorCode and errorMessage (e.g. errorDetail). */
  readonly extra: ReadonlyMap<string, string>;
}

const CERTIFICATE_KEY = /^([1-9][0-9]{0,8})_([1-9][0-9]{0,8})_(.+)$/s;
const ORDER_KEY = /^([1-9][0-9]{0,8})_(.+)$/s;
const ERROR_CODE = /^\s*[+-]?[0-9]{1,9}\s*$/;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes raw bytes; invalid UTF-8 is an undecodable answer, not replacement characters. */
export function decodeBytes(bytes: Uint8Array, contentType: string | undefined): WireResponse {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    throw new SectigoError('SECTIGO_UNDECODABLE_RESPONSE', 'Sectigo answered with a body that is not valid UTF-8', { cause });
  }
  return decodeText(text, contentType);
}

export function decodeText(body: string, contentType: string | undefined): WireResponse {
  const text = body.trim();
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (text === '') {
    throw new SectigoError('SECTIGO_NOT_AN_API_RESPONSE', 'Sectigo answered with an empty body');
  }
  if (mediaType === 'text/html' || text.startsWith('<')) {
    throw new SectigoError('SECTIGO_NOT_AN_API_RESPONSE', 'Sectigo answered with an HTML page instead of an API response');
  }
  const entries = mediaType.endsWith('json') || text.startsWith('{') ? jsonEntries(text) : formEntries(text);
  return groupEntries(entries);
}

function formEntries(text: string): Array<[string, string]> {
  // URLSearchParams is the WHATWG application/x-www-form-urlencoded parser:
  // `+` is a space and each key and value is percent-decoded exactly once.
  return [...new URLSearchParams(text)];
}

function jsonEntries(text: string): Array<[string, string]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      // The documented sample is a Python-style dict: {'errorCode': '-4', ...}.
      parsed = JSON5.parse(text);
    } catch (cause) {
      throw new SectigoError('SECTIGO_UNDECODABLE_RESPONSE', 'Sectigo answered with JSON that cannot be parsed', { cause });
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SectigoError('SECTIGO_UNDECODABLE_RESPONSE', 'Sectigo answered with JSON that is not an object');
  }
  return flattenJson(parsed as Record<string, unknown>);
}

/**
 * No public sample of a successful JSON answer exists. Flat keys are the
 * likely shape; nested objects and arrays are flattened into the same
 * `X_Y_field` keys so either shape decodes.
 */
export function flattenJson(value: Record<string, unknown> | unknown[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  flatten(value, '', out, 0);
  return out;
}

function flatten(value: Record<string, unknown> | unknown[], prefix: string, out: Array<[string, string]>, depth: number): void {
  if (depth > 8) {
    throw new SectigoError('SECTIGO_UNDECODABLE_RESPONSE', 'Sectigo answered with JSON nested too deeply');
  }
  const pairs: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, i): [string, unknown] => [String(i + 1), item])
    : Object.entries(value);
  for (const [key, item] of pairs) {
    const name = prefix === '' ? key : `${prefix}_${key}`;
    if (item === null || item === undefined) out.push([name, '']);
    else if (typeof item === 'object') flatten(item as Record<string, unknown> | unknown[], name, out, depth + 1);
    else out.push([name, typeof item === 'string' ? item : JSON.stringify(item)]);
  }
}

function groupEntries(entries: ReadonlyArray<readonly [string, string]>): WireResponse {
  let errorCode: string | undefined;
  let errorMessage: string | undefined;
  const extra = new Map<string, string>();
  const orders = new Map<number, { fields: Map<string, string>; certificates: Map<number, Map<string, string>> }>();
  const orderAt = (index: number) => {
    let order = orders.get(index);
    if (order === undefined) {
      order = { fields: new Map(), certificates: new Map() };
      orders.set(index, order);
    }
    return order;
  };

  for (const [key, value] of entries) {
    if (key === 'errorCode') {
      // Two different codes in one answer: trust neither.
      if (errorCode !== undefined && errorCode.trim() !== value.trim()) {
        throw new SectigoError('SECTIGO_UNDECODABLE_RESPONSE', 'Sectigo answered with conflicting errorCode values');
      }
      errorCode = value;
      continue;
    }
    if (key === 'errorMessage') {
      errorMessage = value;
      continue;
    }
    const cert = CERTIFICATE_KEY.exec(key);
    if (cert !== null) {
      const certificates = orderAt(Number(cert[1])).certificates;
      const certIndex = Number(cert[2]);
      let fields = certificates.get(certIndex);
      if (fields === undefined) {
        fields = new Map();
        certificates.set(certIndex, fields);
      }
      fields.set(cert[3] as string, value);
      continue;
    }
    const order = ORDER_KEY.exec(key);
    if (order !== null) {
      orderAt(Number(order[1])).fields.set(order[2] as string, value);
      continue;
    }
    extra.set(key, value);
  }

  if (errorCode === undefined) {
    if (orders.size === 0) {
      throw new SectigoError('SECTIGO_NOT_AN_API_RESPONSE', 'Sectigo answered with a body that is not an API response');
    }
    throw new SectigoError('SECTIGO_MISSING_ERROR_CODE', 'Sectigo answered without an errorCode');
  }
  if (!ERROR_CODE.test(errorCode)) {
    throw new SectigoError('SECTIGO_UNDECODABLE_RESPONSE', 'Sectigo answered with an errorCode that is not an integer');
  }

  return {
    errorCode: Number(errorCode),
    errorMessage,
    extra,
    orders: [...orders.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, order]) => ({
        index,
        fields: order.fields,
        certificates: [...order.certificates.entries()]
          .sort(([a], [b]) => a - b)
          .map(([certIndex, fields]) => ({ index: certIndex, fields })),
      })),
  };
}

/** The flat key/value pairs of an answer, in wire order. */
export function wireEntries(response: WireResponse): Array<[string, string]> {
  const entries: Array<[string, string]> = [['errorCode', String(response.errorCode)]];
  if (response.errorMessage !== undefined) entries.push(['errorMessage', response.errorMessage]);
  for (const [key, value] of response.extra) entries.push([key, value]);
  for (const order of response.orders) {
    for (const [key, value] of order.fields) entries.push([`${order.index}_${key}`, value]);
    for (const cert of order.certificates) {
      for (const [key, value] of cert.fields) entries.push([`${order.index}_${cert.index}_${key}`, value]);
    }
  }
  return entries;
}

/** Encodes an answer the way the endpoint sends it (used by the simulator and round-trip tests). */
export function encodeWire(response: WireResponse, format: ResponseFormat): string {
  const entries = wireEntries(response);
  if (format === 1) return new URLSearchParams(entries).toString();
  // JSON answers carry every value as a string, like the documented error sample.
  return JSON.stringify(Object.fromEntries(entries));
}

export function mediaTypeFor(format: ResponseFormat): string {
  return format === 1 ? 'application/x-www-form-urlencoded' : 'application/json';
}
