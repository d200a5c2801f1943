import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { decodeText } from '../../src/sectigo/wire.js';
import {
  DEMO_CERTIFICATE_IDS,
  DEMO_ORDERS,
  DETAILED_STATUS_FIELDS,
  NESTED_SUGGESTED_ORG_DETAILS,
  TRICKY_VALUES,
  VALIDITY_PERIOD_FIELDS,
  seedOrders,
  startSimulator,
  syntheticCertificateId,
  type Simulator,
} from '../../src/simulator/index.js';

const LOGIN = 'sim-user';
/** Needs encoding itself, and is distinctive enough to search for. */
const PASSWORD = 'Pa55 w0rd&=+%ü-never-recorded';
const FORM = 'application/x-www-form-urlencoded';

/** As the two doc pages list them, written out here rather than imported. */
const DOCUMENTED_DETAILED_FIELDS = [
  'csrStatus',
  'dcvStatus',
  'ovCallBackStatus',
  'organizationValidationStatus',
  'freeDVUPStatus',
  'evClickThroughStatus',
  'caaStatus',
  'qualysCreationDate',
  'qualysExpirationDate',
];
const DOCUMENTED_VALIDITY_FIELDS = [
  'notBefore',
  'notAfter',
  'certificateDuration',
  'productTermStartDate',
  'productTermEndDate',
  'productTermDuration',
];

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly contentLength: string | undefined;
  readonly text: string;
  /** Response keys and values in wire order, from either format. */
  readonly entries: Array<[string, string]>;
  readonly get: (key: string) => string | undefined;
}

interface SendOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly contentType?: string | null;
  readonly query?: string;
  readonly path?: string;
  readonly signal?: AbortSignal;
}

let sim: Simulator;

async function send(simulator: Simulator, body: string | Array<[string, string]>, options: SendOptions = {}): Promise<Answer> {
  const url = new URL(simulator.url);
  if (options.path !== undefined) url.pathname = options.path;
  const target = `${url.origin}${url.pathname}${options.query ?? ''}`;
  const method = options.method ?? 'POST';
  const headers: Record<string, string> = {};
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? FORM;
  const payload = typeof body === 'string' ? body : new URLSearchParams(body).toString();
  const response = await request(target, {
    method,
    headers,
    ...(method === 'GET' ? {} : { body: payload }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const text = await response.body.text();
  const contentType = header(response.headers['content-type']);
  const entries: Array<[string, string]> = contentType?.startsWith('application/json')
    ? Object.entries(JSON.parse(text) as Record<string, string>)
    : [...new URLSearchParams(text)];
  const map = new Map(entries);
  return {
    status: response.statusCode,
    contentType,
    contentLength: header(response.headers['content-length']),
    text,
    entries,
    get: (key) => map.get(key),
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A valid request for an order, with overrides. */
function args(overrides: Record<string, string> = {}, base: Record<string, string> = {}): Array<[string, string]> {
  return Object.entries({
    loginName: LOGIN,
    loginPassword: PASSWORD,
    orderNumber: DEMO_ORDERS.dvIssued,
    queryType: '0',
    ...base,
    ...overrides,
  });
}

function without(...names: string[]): Array<[string, string]> {
  return args().filter(([name]) => !names.includes(name));
}

function seed(orderNumber: string) {
  const order = seedOrders.find((o) => o.orderNumber === orderNumber);
  if (order === undefined) throw new Error(`no seed order ${orderNumber}`);
  return order;
}

function certificateKeys(answer: Answer, prefix: string): string[] {
  return answer.entries
    .map(([key]) => key)
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
}

beforeAll(async () => {
  sim = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
});

afterEach(() => {
  sim.clearFaults();
  sim.setLatency(0);
  sim.resetCalls();
});

afterAll(async () => {
  await sim.close();
});

describe('the simulator as an HTTP server', () => {
  it('listens on an OS-chosen loopback port at the documented path', () => {
    const url = new URL(sim.url);
    expect(url.protocol).toBe('http:');
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    expect(url.pathname).toBe('/products/!GetDetailedOrderStatus');
  });

  it('answers other paths with an HTML 404 page', async () => {
    const answer = await send(sim, args(), { path: '/products/!WebHostReport' });
    expect(answer.status).toBe(404);
    expect(answer.contentType).toMatch(/^text\/html/);
    expect(sim.calls.map((call) => call.errorCode)).toEqual([null]);
  });

  it('closes with a request still hanging, and closing twice is harmless', async () => {
    const own = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
    own.injectFault({ kind: 'hang' });
    const hung = send(own, args()).then(
      () => 'answered',
      () => 'dropped',
    );
    await own.waitForCalls(1);
    await own.close();
    await own.close();
    expect(await hung).toBe('dropped');
  });

  it('rejects waiting for calls that can no longer come once closed', async () => {
    const own = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
    const waiting = own.waitForCalls(1);
    await own.close();
    await expect(waiting).rejects.toThrow(/closed/);
  });
});

describe('errors, as the docs template them', () => {
  it.each(['GET', 'PUT', 'DELETE'] as const)('answers -17 to %s, url-encoded with HTTP 200', async (method) => {
    const answer = await send(sim, method === 'GET' ? '' : args(), { method });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(FORM);
    expect(answer.text).toBe('errorCode=-17&errorMessage=Request+used+GET+rather+than+POST%21');
  });

  it('answers -2 naming an unknown argument as it was sent', async () => {
    const answer = await send(sim, [...args(), ['Colour', 'blue']]);
    expect(answer.entries).toEqual([
      ['errorCode', '-2'],
      ['errorMessage', "'Colour' is an unrecognised argument!"],
    ]);
  });

  it.each([
    ['loginName', without('loginName')],
    ['loginPassword', without('loginPassword')],
    ['orderNumber', without('orderNumber')],
    ['queryType', without('queryType')],
    ['orderNumber', args({ orderNumber: '' })],
    ['loginName', [] as Array<[string, string]>],
  ])("answers -3 naming '%s' when it is missing or empty", async (argument, body) => {
    const answer = await send(sim, body);
    expect(answer.get('errorCode')).toBe('-3');
    expect(answer.get('errorMessage')).toBe(`The '${argument}' argument is missing!`);
  });

  it.each([
    ['queryType', { queryType: '3' }],
    ['queryType', { queryType: 'one' }],
    ['showValidityPeriod', { showValidityPeriod: 'y' }],
    ['showValidityPeriod', { showValidityPeriod: 'Yes' }],
    ['responseFormat', { responseFormat: '3' }],
    ['orderNumber', { orderNumber: '12a' }],
    ['orderNumber', { orderNumber: '999' }],
    ['orderNumber', { orderNumber: '19999999' }],
    ['orderNumber', { orderNumber: '30000000' }],
    ['loginName', { loginName: 'x'.repeat(65) }],
    ['loginPassword', { loginPassword: 'x'.repeat(129) }],
  ])("answers -4 naming '%s' for the value %j", async (argument, overrides) => {
    const answer = await send(sim, args(overrides));
    expect(answer.get('errorCode')).toBe('-4');
    expect(answer.get('errorMessage')).toBe(`The value of the '${argument}' argument is invalid!`);
  });

  it.each([
    ['17 digits', '12345678901234567'],
    ['letters', '12ab'],
    ['no such certificate', '1111111111111111'],
    ['the double that 2^53 + 1 rounds to', '9007199254740992'],
  ])("answers -4 naming 'certificateID' for %s", async (_, certificateId) => {
    const answer = await send(sim, [...without('orderNumber'), ['certificateID', certificateId]]);
    expect(answer.get('errorCode')).toBe('-4');
    expect(answer.get('errorMessage')).toBe("The value of the 'certificateID' argument is invalid!");
  });

  it('answers -4 for an argument given twice, whatever the case of the second name', async () => {
    const answer = await send(sim, [...args(), ['QUERYTYPE', '1']]);
    expect(answer.get('errorCode')).toBe('-4');
    expect(answer.get('errorMessage')).toBe("The value of the 'queryType' argument is invalid!");
  });

  it.each([
    ['a wrong password', { loginPassword: 'wrong' }],
    ['the password in another case', { loginPassword: PASSWORD.toUpperCase() }],
    ['the login name in another case', { loginName: LOGIN.toUpperCase() }],
  ])('answers -16 to %s', async (_, overrides) => {
    const answer = await send(sim, args(overrides));
    expect(answer.entries).toEqual([
      ['errorCode', '-16'],
      ['errorMessage', 'Incorrect login details, account is locked, password has expired or your source IP is blocked.'],
    ]);
  });

  it('checks the login before the order, so strangers cannot probe order numbers', async () => {
    const answer = await send(sim, args({ loginPassword: 'wrong', orderNumber: '999' }));
    expect(answer.get('errorCode')).toBe('-16');
  });

  it('answers errors as JSON when responseFormat=2 was asked for', async () => {
    const answer = await send(sim, args({ orderNumber: '999', responseFormat: '2' }));
    expect(answer.contentType).toBe('application/json');
    expect(JSON.parse(answer.text)).toEqual({
      errorCode: '-4',
      errorMessage: "The value of the 'orderNumber' argument is invalid!",
    });
  });

  it('reads arguments only from a form-encoded body, never from the URL', async () => {
    const query = `?${new URLSearchParams(args()).toString()}`;
    const fromQuery = await send(sim, '', { query });
    const asJson = await send(sim, JSON.stringify(Object.fromEntries(args())), { contentType: 'application/json' });
    const untyped = await send(sim, args(), { contentType: null });
    expect(fromQuery.get('errorCode')).toBe('-3');
    expect(asJson.get('errorCode')).toBe('-3');
    expect(untyped.get('errorCode')).toBe('0');
  });
});

describe('arguments', () => {
  it('accepts argument names in any case, with values compared as sent', async () => {
    const answer = await send(sim, [
      ['LOGINNAME', LOGIN],
      ['loginpassword', PASSWORD],
      ['OrderNumber', DEMO_ORDERS.dvIssued],
      ['querytype', '1'],
      ['SHOWVALIDITYPERIOD', 'Y'],
      ['ResponseFormat', '2'],
    ]);
    expect(answer.contentType).toBe('application/json');
    expect(answer.get('errorCode')).toBe('0');
    expect(answer.get('1_1_caaStatus')).toBe('1');
    expect(answer.get('1_1_notBefore')).toBeDefined();
  });

  it('treats an empty showValidityPeriod or responseFormat as its default', async () => {
    const answer = await send(sim, args({ showValidityPeriod: '', responseFormat: '' }));
    expect(answer.contentType).toBe(FORM);
    expect(answer.get('errorCode')).toBe('0');
    expect(answer.get('1_1_notBefore')).toBeUndefined();
  });

  it('reads integers as integers: leading zeros name the same order', async () => {
    const answer = await send(sim, args({ orderNumber: `00${DEMO_ORDERS.dvIssued}` }));
    expect(answer.get('1_orderNumber')).toBe(DEMO_ORDERS.dvIssued);
  });

  it('lets orderNumber decide when both orderNumber and certificateID are sent', async () => {
    const answer = await send(sim, [...args({ orderNumber: DEMO_ORDERS.rejected }), ['certificateID', DEMO_CERTIFICATE_IDS.dvIssued]]);
    expect(answer.get('1_orderNumber')).toBe(DEMO_ORDERS.rejected);
  });
});

describe('what each queryType and showValidityPeriod discloses', () => {
  it('exports the gated field lists exactly as the docs give them', () => {
    expect([...DETAILED_STATUS_FIELDS]).toEqual(DOCUMENTED_DETAILED_FIELDS);
    expect([...VALIDITY_PERIOD_FIELDS]).toEqual(DOCUMENTED_VALIDITY_FIELDS);
  });

  const ungated = ['serialNumber', 'objectType', 'FQDN', 'certificateStatus', 'certificateStatusReason'];
  it.each([
    ['0', 'N', ungated],
    ['0', 'Y', [...ungated, ...DOCUMENTED_VALIDITY_FIELDS]],
    ['1', 'N', [...ungated, ...DOCUMENTED_DETAILED_FIELDS]],
    ['1', 'Y', [...ungated, ...DOCUMENTED_DETAILED_FIELDS, ...DOCUMENTED_VALIDITY_FIELDS]],
    ['2', 'N', [...ungated, ...DOCUMENTED_DETAILED_FIELDS]],
    ['2', 'Y', [...ungated, ...DOCUMENTED_DETAILED_FIELDS, ...DOCUMENTED_VALIDITY_FIELDS]],
  ])('queryType=%s showValidityPeriod=%s sends exactly the fields it allows', async (queryType, showValidityPeriod, expected) => {
    const answer = await send(sim, args({ queryType, showValidityPeriod }));
    expect(answer.get('errorCode')).toBe('0');
    expect(certificateKeys(answer, '1_1_').sort()).toEqual([...expected].sort());
    expect(answer.entries.map(([key]) => key).filter((key) => /^1_[a-zA-Z]/.test(key))).toEqual([
      '1_orderNumber',
      '1_orderDateTime',
      '1_orderStatus',
      '1_orderStatusReason',
    ]);
  });

  it('sends the same values in both response formats, JSON values as strings', async () => {
    const form = await send(sim, args({ queryType: '2', showValidityPeriod: 'Y', responseFormat: '1' }));
    const json = await send(sim, args({ queryType: '2', showValidityPeriod: 'Y', responseFormat: '2' }));
    expect(form.contentType).toBe(FORM);
    expect(json.contentType).toBe('application/json');
    expect(json.entries).toEqual(form.entries);
    expect(Object.values(JSON.parse(json.text) as Record<string, unknown>).every((v) => typeof v === 'string')).toBe(true);
  });

  it('sends the order as index 1 and its replacements as 2 and 3 only at queryType=2', async () => {
    const orderNumbers = async (queryType: string) => {
      const answer = await send(sim, args({ orderNumber: DEMO_ORDERS.withReplacements, queryType }));
      return answer.entries.filter(([key]) => /^[0-9]+_orderNumber$/.test(key));
    };
    expect(await orderNumbers('0')).toEqual([['1_orderNumber', DEMO_ORDERS.withReplacements]]);
    expect(await orderNumbers('1')).toEqual([['1_orderNumber', DEMO_ORDERS.withReplacements]]);
    expect(await orderNumbers('2')).toEqual([
      ['1_orderNumber', DEMO_ORDERS.withReplacements],
      ['2_orderNumber', DEMO_ORDERS.replacementIssued],
      ['3_orderNumber', DEMO_ORDERS.replacementPending],
    ]);
  });

  it('gates the fields of replacement orders the same way', async () => {
    const answer = await send(sim, args({ orderNumber: DEMO_ORDERS.withReplacements, queryType: '2', showValidityPeriod: 'N' }));
    const replacementFields = certificateKeys(answer, '2_1_');
    expect(replacementFields).toContain('caaStatus');
    expect(replacementFields).not.toContain('notBefore');
    expect(replacementFields).not.toContain('certificateDuration');
  });
});

describe('looking orders up', () => {
  it.each([
    ['2^53 + 1', DEMO_CERTIFICATE_IDS.dvIssued, DEMO_ORDERS.dvIssued],
    ['a short id of an older account', DEMO_CERTIFICATE_IDS.evClickThrough, DEMO_ORDERS.evClickThrough],
    ['the largest 16-digit id', DEMO_CERTIFICATE_IDS.codeSigningShipped, DEMO_ORDERS.codeSigningShipped],
    ['an older certificate of the order', DEMO_CERTIFICATE_IDS.multiDomainRevoked, DEMO_ORDERS.multiDomain],
    ['a certificate of a replacement order', DEMO_CERTIFICATE_IDS.replacementIssued, DEMO_ORDERS.replacementIssued],
    ['a synthetic certificate', syntheticCertificateId('20000042'), '20000042'],
  ])('finds the order by certificateID (%s)', async (_, certificateId, orderNumber) => {
    const answer = await send(sim, [...without('orderNumber'), ['certificateID', certificateId]]);
    expect(answer.get('errorCode')).toBe('0');
    expect(answer.get('1_orderNumber')).toBe(orderNumber);
  });

  it('answers a replacement order asked for by number as index 1', async () => {
    const answer = await send(sim, args({ orderNumber: DEMO_ORDERS.replacementPending, queryType: '2' }));
    expect(answer.get('1_orderNumber')).toBe(DEMO_ORDERS.replacementPending);
    expect(answer.get('2_orderNumber')).toBeUndefined();
  });

  it('generates synthetic orders deterministically, one per number, with every gated field', async () => {
    const full = { queryType: '1', showValidityPeriod: 'Y' };
    const first = await send(sim, args({ orderNumber: '20000001', ...full }));
    const again = await send(sim, args({ orderNumber: '20000001', ...full }));
    const other = await send(sim, args({ orderNumber: '29999999', ...full }));
    expect(again.text).toBe(first.text);
    expect(other.get('1_orderNumber')).toBe('29999999');
    expect(other.get('1_1_FQDN')).not.toBe(first.get('1_1_FQDN'));
    expect(first.get('1_orderDateTime')).toMatch(/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$/);
    for (const field of [...DOCUMENTED_DETAILED_FIELDS, ...DOCUMENTED_VALIDITY_FIELDS]) {
      expect(first.get(`1_1_${field}`), field).toBeDefined();
    }
  });

  it('serves an order passed in the options instead of the seed', async () => {
    const own = await startSimulator({
      loginName: LOGIN,
      loginPassword: PASSWORD,
      orders: [
        {
          orderNumber: '77',
          certificateIds: ['7700000000000077'],
          fields: { orderStatus: 'Custom' },
          certificates: [{ FQDN: 'own.example' }],
        },
      ],
    });
    try {
      const custom = await send(own, [...without('orderNumber'), ['certificateID', '7700000000000077']]);
      const seeded = await send(own, args());
      expect(custom.entries).toEqual([
        ['errorCode', '0'],
        ['1_orderNumber', '77'],
        ['1_orderStatus', 'Custom'],
        ['1_1_FQDN', 'own.example'],
      ]);
      expect(seeded.get('errorCode')).toBe('-4');
    } finally {
      await own.close();
    }
  });
});

describe('seed data', () => {
  const everyDocumentedField = [
    ...['orderNumber', 'orderDateTime', 'orderStatus', 'orderStatusReason', 'suggestedOrgDetails'].map((f) => `order ${f}`),
    ...[
      'serialNumber',
      'objectType',
      'FQDN',
      'certificateStatus',
      'certificateStatusReason',
      ...DOCUMENTED_DETAILED_FIELDS,
      ...DOCUMENTED_VALIDITY_FIELDS,
      'upsTrackingID',
      'shippingOrganizationName',
      'shippingOrganizationalUnitName',
      'shippingStreetAddress1',
      'shippingStreetAddress2',
      'shippingStreetAddress3',
      'shippingLocalityName',
      'shippingStateOrProvinceName',
      'shippingPostalCode',
      'shippingCountry',
      'shippingTitle',
      'shippingForename',
      'shippingSurname',
      'shippingEmail',
      'shippingPhone',
      'licenceStatus',
      'licenceSyncStatus',
      'licenceRejectionSource',
      'licenceStatusReason',
      'qualysMerchantID',
      'qualysLoginName',
      'qualysCompanyName',
      'qualysAccountType',
      'qualysIPsPurchased',
      'qualysIPsAdded',
      'swpID',
      'swpActive',
      'swpUserEmail',
      'swpPartnerID',
      'slId',
      'slSiteIds',
      'trademarkOffice',
      'trademarkIdentifier',
      'trademarkCountryName',
      'trademarkCountry2CharCode',
      'logoHostedByCA',
    ].map((f) => `certificate ${f}`),
  ];

  it('covers every field the docs list, over all seed orders and their replacements', async () => {
    const seen = new Set<string>();
    const orderNumbers = Object.values(DEMO_ORDERS);
    for (const orderNumber of orderNumbers) {
      const answer = await send(sim, args({ orderNumber, queryType: '2', showValidityPeriod: 'Y' }));
      for (const [key] of answer.entries) {
        const certificate = /^[0-9]+_[0-9]+_(.+)$/.exec(key);
        const order = /^[0-9]+_([a-zA-Z].*)$/.exec(key);
        if (certificate?.[1] !== undefined) seen.add(`certificate ${certificate[1]}`);
        else if (order?.[1] !== undefined) seen.add(`order ${order[1]}`);
      }
    }
    expect(everyDocumentedField.filter((field) => !seen.has(field))).toEqual([]);
  });

  it('sends the organisation match both nested in suggestedOrgDetails and as sibling keys', async () => {
    const nested = await send(sim, args({ orderNumber: DEMO_ORDERS.ovPendingFound }));
    const siblings = await send(sim, args({ orderNumber: DEMO_ORDERS.ovPendingSiblings }));
    expect(nested.get('1_suggestedOrgDetails')).toBe(NESTED_SUGGESTED_ORG_DETAILS);
    expect(new URLSearchParams(NESTED_SUGGESTED_ORG_DETAILS).get('1_telephoneNumber')).toBe('+44 161 496 0000');
    expect(siblings.get('1_suggestedOrgDetails')).toBe('status=Found');
    expect(siblings.get('1_organizationName')).toBe('Acme Anvils Inc.');
    expect(siblings.get('1_dunsNumber')).toBe('001234567');
  });

  it('keeps unknown fields and unknown enum values', async () => {
    const answer = await send(sim, args({ orderNumber: DEMO_ORDERS.unknownFields, queryType: '1' }));
    expect(answer.get('1_futureOrderField')).toBe('kept at order level');
    expect(answer.get('1_1_futureCertificateField')).toBe('kept at certificate level');
    expect(answer.get('1_1_caaStatus')).toBe('7');
  });

  it('carries the VMC fields of Sectigo’s own sample', async () => {
    const answer = await send(sim, args({ orderNumber: DEMO_ORDERS.vmcPending, queryType: '2', showValidityPeriod: 'Y' }));
    expect(answer.get('1_1_logoHostedByCA')).toBe('-1');
    expect(answer.get('1_1_trademarkCountry2CharCode')).toBe('US');
    expect(answer.get('1_1_FQDN')?.split(',')).toHaveLength(2);
  });

  it('writes orderDateTime to the minute and validity timestamps as UNIX seconds', async () => {
    const answer = await send(sim, args({ showValidityPeriod: 'Y' }));
    expect(answer.get('1_orderDateTime')).toBe('2025-06-11 11:57');
    expect(answer.text).toContain('1_orderDateTime=2025-06-11+11%3A57');
    expect(answer.get('1_1_notBefore')).toBe(String(Date.parse('2025-06-11T00:00:00Z') / 1000));
  });
});

describe('encoding of awkward values', () => {
  it.each([
    ['1', FORM],
    ['2', 'application/json'],
  ])(
    'round-trips ampersands, equals and plus signs, percent signs, quotes, newlines and non-ASCII in responseFormat=%s',
    async (responseFormat, contentType) => {
      const answer = await send(sim, args({ orderNumber: DEMO_ORDERS.trickyValues, responseFormat }));
      expect(answer.contentType).toBe(contentType);
      expect(answer.get('1_orderStatusReason')).toBe(TRICKY_VALUES.orderStatusReason);
      expect(answer.get('1_1_objectType')).toBe(TRICKY_VALUES.objectType);
      expect(answer.get('1_1_certificateStatusReason')).toBe(TRICKY_VALUES.certificateStatusReason);
      expect(answer.get('1_1_FQDN')).toBe(TRICKY_VALUES.FQDN);
      expect(answer.get('1_1_shippingOrganizationName')).toBe(TRICKY_VALUES.shippingOrganizationName);
      expect(answer.get('1_suggestedOrgDetails')).toBe(TRICKY_VALUES.suggestedOrgDetails);
      expect(new URLSearchParams(TRICKY_VALUES.suggestedOrgDetails).get('1_organizationName')).toBe('Müller & Söhne "AG" 100%');
    },
  );

  it('decodes with the subgraph’s own wire decoder to the values it seeded', async () => {
    const answer = await send(sim, args({ orderNumber: DEMO_ORDERS.trickyValues, queryType: '2', showValidityPeriod: 'Y' }));
    const wire = decodeText(answer.text, answer.contentType);
    const order = seed(DEMO_ORDERS.trickyValues);
    expect(wire.errorCode).toBe(0);
    expect(Object.fromEntries(wire.orders[0]?.fields ?? [])).toEqual({ orderNumber: order.orderNumber, ...order.fields });
    expect(Object.fromEntries(wire.orders[0]?.certificates[0]?.fields ?? [])).toEqual(order.certificates[0]);
  });

  it('declares the Content-Length of every normal answer', async () => {
    const answer = await send(sim, args({ orderNumber: DEMO_ORDERS.trickyValues }));
    expect(Number(answer.contentLength)).toBe(Buffer.byteLength(answer.text, 'utf8'));
  });
});

describe('faults', () => {
  it('consumes queued faults one per call, first in first out, then answers normally', async () => {
    sim.injectFault({ kind: 'errorCode', code: -14 }, 2);
    sim.injectFault({ kind: 'http', status: 502 });
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await send(sim, args()));
    expect(answers.map((a) => [a.status, a.get('errorCode') ?? null])).toEqual([
      [200, '-14'],
      [200, '-14'],
      [502, null],
      [200, '0'],
    ]);
    expect(answers[0]?.get('errorMessage')).toBe('An unknown error occurred!');
    expect(sim.calls.map((call) => call.errorCode)).toEqual([-14, -14, null, 0]);
  });

  it('repeats a fault injected Infinity times until the faults are cleared', async () => {
    sim.injectFault({ kind: 'errorCode', code: -15 }, Infinity);
    const during = [await send(sim, args()), await send(sim, args()), await send(sim, args())];
    sim.clearFaults();
    const after = await send(sim, args());
    expect(during.map((a) => a.get('errorCode'))).toEqual(['-15', '-15', '-15']);
    expect(during[0]?.get('errorMessage')).toBe('Not enough credit!');
    expect(after.get('errorCode')).toBe('0');
  });

  it('leaves faults queued when a request misses the endpoint path', async () => {
    sim.injectFault({ kind: 'errorCode', code: -14 });
    await send(sim, args(), { path: '/elsewhere' });
    expect((await send(sim, args())).get('errorCode')).toBe('-14');
  });

  it('writes an error-code fault in the requested format, naming the lookup argument the request used', async () => {
    sim.injectFault({ kind: 'errorCode', code: -4 });
    const answer = await send(sim, [...without('orderNumber'), ['certificateID', DEMO_CERTIFICATE_IDS.dvIssued], ['responseFormat', '2']]);
    expect(answer.contentType).toBe('application/json');
    expect(answer.get('errorMessage')).toBe("The value of the 'certificateID' argument is invalid!");
  });

  it('uses the message given with an error-code fault, and none for an undocumented code', async () => {
    sim.injectFault({ kind: 'errorCode', code: -2, message: "'extra' is an unrecognised argument!" });
    sim.injectFault({ kind: 'errorCode', code: -99 });
    const given = await send(sim, args());
    const undocumented = await send(sim, args());
    expect(given.get('errorMessage')).toBe("'extra' is an unrecognised argument!");
    expect(undocumented.entries).toEqual([['errorCode', '-99']]);
  });

  it('sends an HTML page for an http fault, or the body given', async () => {
    sim.injectFault({ kind: 'http', status: 502 });
    sim.injectFault({ kind: 'http', status: 503, body: 'down', contentType: 'text/plain' });
    const page = await send(sim, args());
    const plain = await send(sim, args());
    expect(page.status).toBe(502);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain('<html>');
    expect([plain.status, plain.contentType, plain.text]).toEqual([503, 'text/plain', 'down']);
  });

  it('sends a body fault byte for byte, invalid UTF-8 included', async () => {
    const bytes = Uint8Array.from([
      0x65, 0x72, 0x72, 0x6f, 0x72, 0x43, 0x6f, 0x64, 0x65, 0x3d, 0x30, 0x26, 0x31, 0x5f, 0x78, 0x3d, 0xc3, 0x28,
    ]);
    sim.injectFault({ kind: 'body', body: bytes });
    const response = await request(sim.url, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: new URLSearchParams(args()).toString(),
    });
    const received = new Uint8Array(await response.body.arrayBuffer());
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(FORM);
    expect(received).toEqual(bytes);
  });

  it('answers normally after a delay fault, and after the configured latency', async () => {
    sim.injectFault({ kind: 'delay', ms: 120 });
    let started = performance.now();
    const delayed = await send(sim, args());
    const delayedMs = performance.now() - started;
    sim.setLatency(80);
    started = performance.now();
    const slow = await send(sim, args());
    const slowMs = performance.now() - started;
    expect(delayed.get('errorCode')).toBe('0');
    expect(slow.get('errorCode')).toBe('0');
    expect(delayedMs).toBeGreaterThanOrEqual(110);
    expect(slowMs).toBeGreaterThanOrEqual(70);
  });

  it('never answers a hanging call', async () => {
    sim.injectFault({ kind: 'hang' });
    const outcome = await request(sim.url, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: new URLSearchParams(args()).toString(),
      signal: AbortSignal.timeout(150),
    }).then(
      () => 'answered',
      (error: unknown) => (error instanceof Error ? error.name : 'failed'),
    );
    expect(outcome).toBe('TimeoutError');
    expect(sim.calls.map((call) => call.errorCode)).toEqual([null]);
  });

  it('drops the connection part-way through the body for a reset fault', async () => {
    sim.injectFault({ kind: 'reset' });
    await expect(send(sim, args())).rejects.toThrow();
    expect((await send(sim, args())).get('errorCode')).toBe('0');
  });

  it('drips a complete, valid answer a few bytes at a time', async () => {
    const normal = await send(sim, args());
    sim.injectFault({ kind: 'slowDrip', chunkDelayMs: 1 });
    const response = await request(sim.url, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: new URLSearchParams(args()).toString(),
    });
    let chunks = 0;
    let text = '';
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      chunks += 1;
      text += chunk.toString('utf8');
    }
    expect(text).toBe(normal.text);
    expect(chunks).toBeGreaterThan(3);
    expect(sim.calls.map((call) => call.errorCode)).toEqual([0, 0]);
  });

  it('streams a huge body of exactly the size asked for, without a Content-Length', async () => {
    sim.injectFault({ kind: 'huge', bytes: 1_000_000 });
    const response = await request(sim.url, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: new URLSearchParams(args()).toString(),
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    expect(response.headers['content-length']).toBeUndefined();
    expect(body.byteLength).toBe(1_000_000);
    expect(body.subarray(0, 12).toString()).toBe('errorCode=0&');
  });

  it('refuses a fault count that is not a positive integer or Infinity', () => {
    expect(() => sim.injectFault({ kind: 'hang' }, 0)).toThrow(RangeError);
    expect(() => sim.injectFault({ kind: 'hang' }, 1.5)).toThrow(RangeError);
    expect(() => sim.setLatency(-1)).toThrow(RangeError);
  });
});

describe('recorded calls', () => {
  it('records what each call sent and what it was answered', async () => {
    await send(sim, args({ queryType: '2', showValidityPeriod: 'Y', responseFormat: '2' }));
    await send(sim, [...without('orderNumber'), ['certificateID', DEMO_CERTIFICATE_IDS.dvIssued]]);
    const [first, second] = sim.calls;
    expect(first).toEqual({
      method: 'POST',
      path: '/products/!GetDetailedOrderStatus',
      contentType: FORM,
      query: '',
      params: {
        loginName: LOGIN,
        loginPassword: '[redacted]',
        orderNumber: DEMO_ORDERS.dvIssued,
        queryType: '2',
        showValidityPeriod: 'Y',
        responseFormat: '2',
      },
      orderNumber: DEMO_ORDERS.dvIssued,
      certificateId: undefined,
      queryType: '2',
      showValidityPeriod: 'Y',
      responseFormat: '2',
      passwordInQuery: false,
      errorCode: 0,
    });
    expect(second).toMatchObject({ orderNumber: undefined, certificateId: DEMO_CERTIFICATE_IDS.dvIssued, showValidityPeriod: undefined });
  });

  it('records argument names as sent while reading them case-insensitively', async () => {
    await send(sim, [
      ['LoginName', LOGIN],
      ['LOGINPASSWORD', PASSWORD],
      ['ordernumber', DEMO_ORDERS.rejected],
      ['QueryType', '1'],
    ]);
    expect(sim.calls[0]?.params).toEqual({
      LoginName: LOGIN,
      LOGINPASSWORD: '[redacted]',
      ordernumber: DEMO_ORDERS.rejected,
      QueryType: '1',
    });
    expect(sim.calls[0]?.orderNumber).toBe(DEMO_ORDERS.rejected);
    expect(sim.calls[0]?.queryType).toBe('1');
  });

  it('flags credentials in the URL query and keeps the password out of every record', async () => {
    const leaky = new URLSearchParams([
      ['loginName', LOGIN],
      ['loginPassword', PASSWORD],
    ]).toString();
    await send(sim, args(), { query: `?${leaky}` });
    await send(sim, args(), { query: `?note=${encodeURIComponent(PASSWORD)}` });
    await send(sim, [...args(), ['password', PASSWORD]]);
    await send(sim, args({ loginPassword: 'a-wrong-password' }));
    await send(sim, args(), { method: 'GET', query: `?loginpassword=${encodeURIComponent(PASSWORD)}` });
    const calls = sim.calls;
    expect(calls.map((call) => call.passwordInQuery)).toEqual([true, true, false, false, true]);
    expect(calls[0]?.query).toBe('?loginName=sim-user&loginPassword=%5Bredacted%5D');
    expect(calls[3]?.params['loginPassword']).toBe('[redacted]');
    const recorded = JSON.stringify(calls);
    for (const secret of [
      PASSWORD,
      encodeURIComponent(PASSWORD),
      new URLSearchParams([['p', PASSWORD]]).toString().slice(2),
      'a-wrong-password',
    ]) {
      expect(recorded).not.toContain(secret);
    }
  });

  it('forgets calls on reset, and resolves waitForCalls once enough have come in', async () => {
    await send(sim, args());
    sim.resetCalls();
    expect(sim.calls).toEqual([]);
    const waiting = sim.waitForCalls(2);
    await Promise.all([send(sim, args()), send(sim, args())]);
    await waiting;
    expect(sim.calls).toHaveLength(2);
  });

  it('tracks the most calls open at once', async () => {
    sim.setLatency(60_000);
    const controller = new AbortController();
    const pending = [1, 2, 3].map(() => send(sim, args(), { signal: controller.signal }).catch(() => 'aborted'));
    await sim.waitForCalls(3);
    expect(sim.maxConcurrentCalls).toBe(3);
    controller.abort();
    expect(await Promise.all(pending)).toEqual(['aborted', 'aborted', 'aborted']);
  });

  it('keeps only the most recent calls when told to bound them', async () => {
    const own = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD, maxRecordedCalls: 2 });
    try {
      for (const orderNumber of ['20000001', '20000002', '20000003']) await send(own, args({ orderNumber }));
      expect(own.calls.map((call) => call.orderNumber)).toEqual(['20000002', '20000003']);
      await own.waitForCalls(3);
    } finally {
      await own.close();
    }
  });
});
