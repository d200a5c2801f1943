import { Secret } from '../../src/secret.js';
import { getEventListeners } from 'node:events';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSectigoClient, type SectigoClient, type SectigoClientOptions, type UpstreamCallEvent } from '../../src/sectigo/client.js';
import { FULL_DETAIL, STATUS_ONLY, type DetailLevel } from '../../src/sectigo/detail.js';
import { SectigoError, type SectigoErrorCode } from '../../src/sectigo/errors.js';
import { byCertificateId, byOrderNumber, isCertificateId, isOrderNumber, type OrderRef } from '../../src/sectigo/ids.js';
import { DEMO_CERTIFICATE_IDS, DEMO_ORDERS, TRICKY_VALUES, startSimulator, type Fault, type Simulator } from '../../src/simulator/index.js';

const LOGIN = 'client-test';
/** Needs url-encoding, and is distinctive enough to search any text for. */
const PASSWORD = 'Cl1ent-S3cret&pass=word+100%-ü';
const WRONG_PASSWORD = 'Wr0ng-S3cret-also-never-shown';
const FORM = 'application/x-www-form-urlencoded';
const STATUS_AND_VALIDATION: DetailLevel = { queryType: 1, showValidityPeriod: false };

let sim: Simulator;
let opened: SectigoClient[] = [];
let events: UpstreamCallEvent[] = [];

function order(orderNumber: string): OrderRef {
  if (!isOrderNumber(orderNumber)) throw new Error(`not an order number: ${orderNumber}`);
  return byOrderNumber(orderNumber);
}

function certificate(certificateId: string): OrderRef {
  if (!isCertificateId(certificateId)) throw new Error(`not a certificate id: ${certificateId}`);
  return byCertificateId(certificateId);
}

function client(overrides: Partial<SectigoClientOptions> = {}): SectigoClient {
  const created = createSectigoClient({
    url: new URL(sim.url),
    credentials: { loginName: LOGIN, loginPassword: new Secret(PASSWORD) },
    timeoutMs: 2_000,
    maxConnections: 4,
    maxResponseBytes: 256 * 1024,
    onCall: (event) => events.push(event),
    ...overrides,
  });
  opened.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<SectigoError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof SectigoError)) throw new Error(`expected a SectigoError, got ${String(error)}`);
  return error;
}

/** JSON.stringify that survives the cycles some socket errors carry. */
function serialise(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'object' && item !== null) {
      if (seen.has(item)) return '[cycle]';
      seen.add(item);
    }
    return typeof item === 'bigint' ? String(item) : item;
  });
}

/** Every text an error could end up in: message, String(), JSON, inspect, down the cause chain. */
function renderings(error: unknown): string[] {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth += 1) {
    // String() on purpose: the rendering a careless log line would use.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    out.push(String(current), serialise(current), inspect(current, { depth: 8 }));
    if (current instanceof Error) out.push(current.message, current.stack ?? '');
    current = current instanceof Error ? current.cause : undefined;
  }
  return out;
}

function secretsIn(texts: readonly string[]): string[] {
  const secrets = [PASSWORD, encodeURIComponent(PASSWORD), new URLSearchParams([['p', PASSWORD]]).toString().slice(2), WRONG_PASSWORD];
  return texts.flatMap((text) => secrets.filter((secret) => text.includes(secret)));
}

beforeAll(async () => {
  sim = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
});

afterEach(async () => {
  await Promise.all(opened.map((c) => c.close()));
  opened = [];
  events = [];
  sim.clearFaults();
  sim.setLatency(0);
  sim.resetCalls();
});

afterAll(async () => {
  await sim.close();
});

describe('what the client sends', () => {
  it('sends one form-encoded POST per order, credentials in the body and nothing in the URL', async () => {
    const answer = await client().fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY);
    expect(answer.status.order.orderNumber).toBe(DEMO_ORDERS.dvIssued);
    expect(sim.calls).toEqual([
      {
        method: 'POST',
        path: '/products/!GetDetailedOrderStatus',
        contentType: FORM,
        query: '',
        params: {
          loginName: LOGIN,
          loginPassword: '[redacted]',
          orderNumber: DEMO_ORDERS.dvIssued,
          queryType: '0',
          showValidityPeriod: 'N',
          responseFormat: '1',
        },
        orderNumber: DEMO_ORDERS.dvIssued,
        certificateId: undefined,
        queryType: '0',
        showValidityPeriod: 'N',
        responseFormat: '1',
        passwordInQuery: false,
        errorCode: 0,
      },
    ]);
  });

  it.each([
    [STATUS_ONLY, '0', 'N'],
    [STATUS_AND_VALIDATION, '1', 'N'],
    [{ queryType: 0, showValidityPeriod: true } satisfies DetailLevel, '0', 'Y'],
    [FULL_DETAIL, '2', 'Y'],
  ])('asks for detail level %j as queryType=%s showValidityPeriod=%s', async (level, queryType, showValidityPeriod) => {
    await client().fetchOrder(order(DEMO_ORDERS.dvIssued), level);
    expect(sim.calls.map((call) => [call.queryType, call.showValidityPeriod])).toEqual([[queryType, showValidityPeriod]]);
  });

  it('asks by certificateID alone, keeping an id beyond 2^53 digit for digit', async () => {
    const answer = await client().fetchOrder(certificate(DEMO_CERTIFICATE_IDS.dvIssued), STATUS_ONLY);
    expect(answer.status.order.orderNumber).toBe(DEMO_ORDERS.dvIssued);
    expect(sim.calls.map((call) => [call.orderNumber, call.certificateId])).toEqual([[undefined, DEMO_CERTIFICATE_IDS.dvIssued]]);
  });

  it('sends responseFormat=2 when configured for JSON', async () => {
    await client({ responseFormat: 2 }).fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY);
    expect(sim.calls.map((call) => call.responseFormat)).toEqual(['2']);
  });

  it('never opens more connections than maxConnections', async () => {
    sim.setLatency(40);
    const limited = client({ maxConnections: 2 });
    const orderNumbers = Array.from({ length: 6 }, (_, i) => String(20_000_100 + i));
    const answers = await Promise.all(orderNumbers.map((n) => limited.fetchOrder(order(n), STATUS_ONLY)));
    expect(answers.map((a) => a.status.order.orderNumber)).toEqual(orderNumbers);
    expect(sim.calls).toHaveLength(6);
    expect(sim.maxConcurrentCalls).toBeLessThanOrEqual(2);
  });
});

describe('what the client returns', () => {
  it('returns the order with its replacement orders at queryType=2', async () => {
    const { status } = await client().fetchOrder(order(DEMO_ORDERS.withReplacements), FULL_DETAIL);
    expect(status.order.orderNumber).toBe(DEMO_ORDERS.withReplacements);
    expect(status.replacementOrders.map((o) => o.orderNumber)).toEqual([DEMO_ORDERS.replacementIssued, DEMO_ORDERS.replacementPending]);
    expect(status.level).toEqual(FULL_DETAIL);
  });

  it.each(Object.entries(DEMO_ORDERS))('decodes both response formats of %s (%s) to the same order status', async (_, orderNumber) => {
    const form = await client({ responseFormat: 1 }).fetchOrder(order(orderNumber), FULL_DETAIL);
    const json = await client({ responseFormat: 2 }).fetchOrder(order(orderNumber), FULL_DETAIL);
    expect(json.status).toEqual(form.status);
    expect(sim.calls.map((call) => call.responseFormat)).toEqual(['1', '2']);
  });

  it('decodes values that need careful url-encoding exactly once', async () => {
    const { status } = await client().fetchOrder(order(DEMO_ORDERS.trickyValues), FULL_DETAIL);
    const [cert] = status.order.certificates;
    expect(status.order.statusReason).toBe(TRICKY_VALUES.orderStatusReason);
    expect(cert?.type).toBe(TRICKY_VALUES.objectType);
    expect(cert?.statusReason).toBe(TRICKY_VALUES.certificateStatusReason);
    expect(cert?.domains).toEqual(TRICKY_VALUES.FQDN.split(','));
    expect(cert?.shipping?.organizationName).toBe(TRICKY_VALUES.shippingOrganizationName);
    expect(status.order.suggestedOrganization?.matches[0]?.organizationName).toBe('Müller & Söhne "AG" 100%');
    expect(status.order.suggestedOrganization?.matches[0]?.telephone).toBe('+41 44 000 00 00');
  });

  it('reports the size of the body as received', async () => {
    const answer = await client().fetchOrder(order(DEMO_ORDERS.dvIssued), FULL_DETAIL);
    expect(answer.bytes).toBeGreaterThan(100);
    expect(events.map((event) => event.bytes)).toEqual([answer.bytes]);
  });

  it('waits out a slow drip that ends within the timeout', async () => {
    sim.injectFault({ kind: 'slowDrip', chunkDelayMs: 1 });
    const answer = await client().fetchOrder(order(DEMO_ORDERS.rejected), STATUS_ONLY);
    expect(answer.status.order.status).toBe('Rejected');
  });
});

describe('upstream error codes', () => {
  it.each<[number, string | undefined, SectigoErrorCode, string | undefined]>([
    [-1, undefined, 'SECTIGO_HTTPS_REQUIRED', undefined],
    [-2, "'colour' is an unrecognised argument!", 'SECTIGO_UNRECOGNISED_ARGUMENT', 'colour'],
    [-3, "The 'queryType' argument is missing!", 'SECTIGO_MISSING_ARGUMENT', 'queryType'],
    [-4, undefined, 'SECTIGO_INVALID_ARGUMENT', 'orderNumber'],
    [-14, undefined, 'SECTIGO_UNKNOWN_ERROR', undefined],
    [14, undefined, 'SECTIGO_UNKNOWN_ERROR', undefined],
    [-15, undefined, 'SECTIGO_NOT_ENOUGH_CREDIT', undefined],
    [-16, undefined, 'SECTIGO_AUTH_FAILED', undefined],
    [-17, undefined, 'SECTIGO_METHOD_NOT_ALLOWED', undefined],
    [-99, undefined, 'SECTIGO_UNDOCUMENTED_ERROR', undefined],
  ])('maps errorCode %i (message %j) to %s', async (code, message, expected, argument) => {
    sim.injectFault(message === undefined ? { kind: 'errorCode', code } : { kind: 'errorCode', code, message });
    const error = await failure(client().fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    expect(error.code).toBe(expected);
    expect(error.sectigoErrorCode).toBe(code);
    expect(error.argument).toBe(argument);
    expect(events.map((event) => [event.outcome, event.sectigoErrorCode])).toEqual([[expected, code]]);
  });

  it.each([1, 2] as const)('reads an error answered in responseFormat=%i', async (responseFormat) => {
    sim.injectFault({ kind: 'errorCode', code: -15 });
    const error = await failure(client({ responseFormat }).fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    expect(error.code).toBe('SECTIGO_NOT_ENOUGH_CREDIT');
  });

  it('maps a real -16 for a wrong password to SECTIGO_AUTH_FAILED', async () => {
    const wrong = client({ credentials: { loginName: LOGIN, loginPassword: new Secret(WRONG_PASSWORD) } });
    const error = await failure(wrong.fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    expect([error.code, error.sectigoErrorCode]).toEqual(['SECTIGO_AUTH_FAILED', -16]);
    expect(sim.calls.map((call) => call.errorCode)).toEqual([-16]);
  });

  it.each([
    ['orderNumber', order('999')],
    ['certificateID', certificate('1111111111111111')],
  ])("maps the real -4 for an unknown order to SECTIGO_INVALID_ARGUMENT naming '%s'", async (argument, ref) => {
    const error = await failure(client().fetchOrder(ref, STATUS_ONLY));
    expect([error.code, error.sectigoErrorCode, error.argument]).toEqual(['SECTIGO_INVALID_ARGUMENT', -4, argument]);
  });

  it('reads the single-quoted JSON error sample printed on Sectigo’s page', async () => {
    sim.injectFault({
      kind: 'body',
      contentType: 'application/json',
      body: `{'errorCode': '-4', 'errorMessage': "The value of the 'orderNumber' argument is invalid!"}`,
    });
    const error = await failure(client({ responseFormat: 2 }).fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    expect([error.code, error.argument]).toEqual(['SECTIGO_INVALID_ARGUMENT', 'orderNumber']);
  });
});

describe('answers that are not API answers', () => {
  const invalidUtf8 = Uint8Array.from([...Buffer.from('errorCode=0&1_orderNumber=1&1_x='), 0xc3, 0x28]);
  it.each<[string, Fault, SectigoErrorCode]>([
    [
      'an HTTP 200 HTML page',
      { kind: 'body', contentType: 'text/html', body: '<!DOCTYPE html><html><body>Down</body></html>' },
      'SECTIGO_NOT_AN_API_RESPONSE',
    ],
    ['an HTML page labelled as a form', { kind: 'body', body: '<html><body>Oops</body></html>' }, 'SECTIGO_NOT_AN_API_RESPONSE'],
    [
      'a plain-text Internal Server Error',
      { kind: 'body', contentType: 'text/plain', body: 'Internal Server Error' },
      'SECTIGO_NOT_AN_API_RESPONSE',
    ],
    ['an empty body', { kind: 'body', body: '' }, 'SECTIGO_NOT_AN_API_RESPONSE'],
    ['order keys without errorCode', { kind: 'body', body: '1_orderNumber=1000001&1_orderStatus=Issued' }, 'SECTIGO_MISSING_ERROR_CODE'],
    ['invalid UTF-8', { kind: 'body', body: invalidUtf8 }, 'SECTIGO_UNDECODABLE_RESPONSE'],
    [
      'JSON that is not an object',
      { kind: 'body', contentType: 'application/json', body: '["errorCode", 0]' },
      'SECTIGO_UNDECODABLE_RESPONSE',
    ],
    ['a success without an order', { kind: 'errorCode', code: 0 }, 'SECTIGO_UNDECODABLE_RESPONSE'],
  ])('refuses %s', async (_, fault, expected) => {
    sim.injectFault(fault);
    const error = await failure(client().fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    expect(error.code).toBe(expected);
    expect(error.isTransient).toBe(false);
  });

  it('maps an HTTP 502 HTML page to SECTIGO_HTTP_STATUS with the status, as transient', async () => {
    sim.injectFault({ kind: 'http', status: 502 });
    const error = await failure(client().fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    expect([error.code, error.httpStatus, error.isTransient]).toEqual(['SECTIGO_HTTP_STATUS', 502, true]);
    expect(error.message).not.toContain('<');
  });

  it('refuses a body over maxResponseBytes while it streams in', async () => {
    sim.injectFault({ kind: 'huge', bytes: 4 * 1024 * 1024 });
    const error = await failure(client({ maxResponseBytes: 64 * 1024 }).fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    expect(error.code).toBe('SECTIGO_RESPONSE_TOO_LARGE');
  });

  it('refuses a body whose declared length is over maxResponseBytes', async () => {
    sim.injectFault({ kind: 'body', body: `errorCode=0&1_orderNumber=1&1_x=${'a'.repeat(70_000)}` });
    const error = await failure(client({ maxResponseBytes: 64 * 1024 }).fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    expect(error.code).toBe('SECTIGO_RESPONSE_TOO_LARGE');
  });
});

describe('transport failures', () => {
  it.each([
    ['hangs', { kind: 'hang' }],
    ['answers too late', { kind: 'delay', ms: 2_000 }],
  ] as const)('gives up with SECTIGO_TIMEOUT after timeoutMs when the upstream %s', async (_, fault) => {
    sim.injectFault(fault);
    const started = performance.now();
    const error = await failure(client({ timeoutMs: 200 }).fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    const elapsed = performance.now() - started;
    expect([error.code, error.isTransient]).toEqual(['SECTIGO_TIMEOUT', true]);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1_500);
    expect(events.map((event) => event.outcome)).toEqual(['SECTIGO_TIMEOUT']);
  });

  it('maps a connection dropped mid-body to SECTIGO_CONNECTION_FAILED', async () => {
    sim.injectFault({ kind: 'reset' });
    const error = await failure(client().fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    expect([error.code, error.isTransient]).toEqual(['SECTIGO_CONNECTION_FAILED', true]);
  });

  it('maps a refused connection to SECTIGO_CONNECTION_FAILED', async () => {
    const gone = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
    const url = new URL(gone.url);
    await gone.close();
    const error = await failure(client({ url }).fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY));
    expect(error.code).toBe('SECTIGO_CONNECTION_FAILED');
  });

  it('answers the next call normally after each kind of fault', async () => {
    const c = client({ timeoutMs: 200 });
    const faults: Fault[] = [
      { kind: 'reset' },
      { kind: 'hang' },
      { kind: 'http', status: 502 },
      { kind: 'huge', bytes: 1024 * 1024 },
      { kind: 'errorCode', code: -14 },
    ];
    const outcomes: string[] = [];
    for (const fault of faults) {
      sim.injectFault(fault);
      outcomes.push((await failure(c.fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY))).code);
      outcomes.push((await c.fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY)).status.order.status ?? 'null');
    }
    expect(outcomes).toEqual([
      'SECTIGO_CONNECTION_FAILED',
      'Issued',
      'SECTIGO_TIMEOUT',
      'Issued',
      'SECTIGO_HTTP_STATUS',
      'Issued',
      'SECTIGO_RESPONSE_TOO_LARGE',
      'Issued',
      'SECTIGO_UNKNOWN_ERROR',
      'Issued',
    ]);
  });

  it('passes the caller’s own abort through, reported as aborted rather than as an upstream failure', async () => {
    sim.injectFault({ kind: 'hang' });
    const controller = new AbortController();
    const pending = client().fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY, { signal: controller.signal });
    await sim.waitForCalls(1);
    controller.abort();
    const error = await pending.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SectigoError);
    expect(events.map((event) => event.outcome)).toEqual(['aborted']);
  });

  it('makes no call when the caller’s signal has already ended, and answers with its reason', async () => {
    const controller = new AbortController();
    const reason = new SectigoError('SECTIGO_CANCELLED', 'given up before the call');
    controller.abort(reason);
    const error = await failure(client().fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY, { signal: controller.signal }));
    expect(error).toBe(reason);
    expect(sim.calls).toHaveLength(0);
  });

  it('leaves no listener on a long-lived caller signal, whether the attempt answered, failed or timed out', async () => {
    // The order deadline's signal is shared by every retry of an order: a listener left per attempt would pile up.
    const controller = new AbortController();
    const c = client({ timeoutMs: 150 });
    await c.fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY, { signal: controller.signal });
    sim.injectFault({ kind: 'http', status: 503 });
    await failure(c.fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY, { signal: controller.signal }));
    sim.injectFault({ kind: 'hang' });
    expect((await failure(c.fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY, { signal: controller.signal }))).code).toBe(
      'SECTIGO_TIMEOUT',
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(events.map((event) => event.outcome)).toEqual(['ok', 'SECTIGO_HTTP_STATUS', 'SECTIGO_TIMEOUT']);
  });
});

describe('the onCall event', () => {
  it('reports each finished attempt once, with the reference, level and outcome', async () => {
    const c = client();
    await c.fetchOrder(order(DEMO_ORDERS.rejected), STATUS_AND_VALIDATION);
    sim.injectFault({ kind: 'http', status: 503 });
    await failure(c.fetchOrder(certificate(DEMO_CERTIFICATE_IDS.dvIssued), FULL_DETAIL));
    expect(events.map(({ ref, level, outcome, sectigoErrorCode }) => ({ ref, level, outcome, sectigoErrorCode }))).toEqual([
      { ref: order(DEMO_ORDERS.rejected), level: STATUS_AND_VALIDATION, outcome: 'ok', sectigoErrorCode: undefined },
      { ref: certificate(DEMO_CERTIFICATE_IDS.dvIssued), level: FULL_DETAIL, outcome: 'SECTIGO_HTTP_STATUS', sectigoErrorCode: undefined },
    ]);
    expect(events.every((event) => event.durationMs >= 0)).toBe(true);
  });
});

describe('the password', () => {
  it('appears in no error, no cause and no onCall event, whatever fails', async () => {
    const c = client({ timeoutMs: 200, maxResponseBytes: 64 * 1024 });
    const faults: Fault[] = [
      { kind: 'hang' },
      { kind: 'reset' },
      { kind: 'http', status: 502 },
      { kind: 'huge', bytes: 1024 * 1024 },
      { kind: 'body', body: Uint8Array.from([0xff, 0xfe]) },
      { kind: 'body', contentType: 'application/json', body: '{not json' },
      { kind: 'body', body: 'Internal Server Error' },
      { kind: 'errorCode', code: -16 },
      { kind: 'errorCode', code: -2, message: `'${PASSWORD}' is an unrecognised argument!` },
    ];
    const errors: unknown[] = [];
    for (const fault of faults) {
      sim.injectFault(fault);
      errors.push(await failure(c.fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY)));
    }
    errors.push(await failure(c.fetchOrder(order('999'), STATUS_ONLY)));
    const wrong = client({ credentials: { loginName: LOGIN, loginPassword: new Secret(WRONG_PASSWORD) } });
    errors.push(await failure(wrong.fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY)));
    const gone = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
    const url = new URL(gone.url);
    await gone.close();
    errors.push(await failure(client({ url }).fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY)));

    expect(errors).toHaveLength(faults.length + 3);
    expect(secretsIn(errors.flatMap(renderings))).toEqual([]);
    expect(secretsIn(events.map((event) => serialise(event)))).toEqual([]);
    expect(secretsIn(events.map((event) => inspect(event, { depth: 8 })))).toEqual([]);
  });

  it('is never sent in the URL', async () => {
    await client().fetchOrder(order(DEMO_ORDERS.dvIssued), STATUS_ONLY);
    expect(sim.calls.map((call) => [call.query, call.passwordInQuery])).toEqual([['', false]]);
  });
});

describe('the transport rule', () => {
  const base = {
    credentials: { loginName: LOGIN, loginPassword: new Secret(PASSWORD) },
    timeoutMs: 1_000,
    maxConnections: 1,
    maxResponseBytes: 1024,
  };

  it.each([
    [
      'plain http to a remote host',
      'http://secure.trust-provider.com/products/!GetDetailedOrderStatus',
      /plain http: .*secure\.trust-provider\.com/,
    ],
    [
      'credentials in the URL',
      `https://${LOGIN}:hunter2-userinfo@secure.trust-provider.com/products/!GetDetailedOrderStatus`,
      /credentials/,
    ],
    ['an unsupported protocol', 'ftp://secure.trust-provider.com/products/!GetDetailedOrderStatus', /protocol ftp:/],
  ])('refuses %s', (_, url, message) => {
    let thrown: unknown;
    try {
      createSectigoClient({ ...base, url: new URL(url) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(String(thrown)).toMatch(message);
    expect(String(thrown)).not.toContain('hunter2-userinfo');
  });

  it.each([
    'https://secure.trust-provider.com/products/!GetDetailedOrderStatus',
    'http://127.0.0.1:1/products/!GetDetailedOrderStatus',
    'http://localhost:1/products/!GetDetailedOrderStatus',
    'http://[::1]:1/products/!GetDetailedOrderStatus',
  ])('accepts %s', async (url) => {
    const accepted = createSectigoClient({ ...base, url: new URL(url) });
    await accepted.close();
  });
});
