/**
 * What the simulator records of each call, without secrets: the password's
 * value is always hidden (a wrong password is a secret too), and so is any
 * name or value holding the real one, wherever it was sent.
 */
import { argumentNamed, argumentValues } from './endpoint.js';
import type { ReceivedRequest } from './request.js';
import type { RecordedCall } from './types.js';

const REDACTED = '[redacted]';

export function recordedCall(request: ReceivedRequest, errorCode: number | null, secret: string): RecordedCall {
  const values = argumentValues(request.params);
  const query = new URLSearchParams(request.search);
  let passwordInQuery = containsSecret(request.search, secret);
  for (const [name, value] of query) {
    const argument = argumentNamed(name);
    if (argument === 'loginName' || argument === 'loginPassword' || containsSecret(value, secret)) passwordInQuery = true;
  }
  return Object.freeze({
    method: request.method,
    path: containsSecret(request.path, secret) ? REDACTED : request.path,
    contentType: request.contentType,
    query: redactedQuery(request.search, query, secret),
    params: Object.freeze(Object.fromEntries(redactedParams(request.params, secret))),
    orderNumber: values.get('orderNumber'),
    certificateId: values.get('certificateID'),
    queryType: values.get('queryType'),
    showValidityPeriod: values.get('showValidityPeriod'),
    responseFormat: values.get('responseFormat'),
    passwordInQuery,
    errorCode,
  });
}

/** loginPassword's value is always hidden (a wrong password is a secret too), and so is anything holding the real one. */
function redactedParams(params: Iterable<readonly [string, string]>, secret: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [name, value] of params) {
    const key = containsSecret(name, secret) ? REDACTED : name;
    if (seen.has(key)) continue;
    seen.add(key);
    const hidden = argumentNamed(name) === 'loginPassword' || key === REDACTED || containsSecret(value, secret);
    out.push([key, hidden ? REDACTED : value]);
  }
  return out;
}

function redactedQuery(search: string, query: URLSearchParams, secret: string): string {
  const needsRedaction =
    containsSecret(search, secret) ||
    [...query].some(
      ([name, value]) => argumentNamed(name) === 'loginPassword' || containsSecret(name, secret) || containsSecret(value, secret),
    );
  if (!needsRedaction) return search;
  const out = new URLSearchParams();
  for (const [name, value] of query) {
    const hidden = argumentNamed(name) === 'loginPassword' || containsSecret(name, secret) || containsSecret(value, secret);
    out.append(containsSecret(name, secret) ? REDACTED : name, hidden ? REDACTED : value);
  }
  return `?${out.toString()}`;
}

function containsSecret(text: string, secret: string): boolean {
  return secret !== '' && text.includes(secret);
}
