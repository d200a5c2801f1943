/** The HTTP surface: federation's `_service`, health, metrics, Sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('federation', () => {
  it('publishes its SDL through _service with Order keyed by orderNumber and a current federation @link', async () => {
    const result = await h.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const sdl = result.body.data?._service.sdl ?? '';
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    expect(sdl).toMatch(/type Order\s+@key\(fields: "orderNumber"\)/);
    expect(sdl).toMatch(/orders\(\s*(?:"{1,3}[^"]*"{1,3}\s*)?orderNumbers: \[ID!\]!\s*\): \[Order\]!/);
    expect(sdl).toMatch(/replacementOrders: \[Order!\]!\s+@sectigoDetail\(queryType: 2\)/);
    expect(h.simulator.calls).toHaveLength(0);
  });

  it('resolves an Order entity from its key', async () => {
    const result = await h.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Order { orderNumber status } } }`,
      {
        r: [{ __typename: 'Order', orderNumber: DEMO_ORDERS.rejected }],
      },
    );
    expect(result.body).toEqual({ data: { _entities: [{ __typename: 'Order', orderNumber: DEMO_ORDERS.rejected, status: 'Rejected' }] } });
  });
});

describe('HTTP routes', () => {
  it('answers GET /health with 200 and a small JSON body', async () => {
    const response = await h.get('/health');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ status: 'ok' });
  });

  it('serves Prometheus metrics that count upstream calls by outcome and queryType', async () => {
    await h.query(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { certificates { validation { csr } } } }`);
    const { headers, text } = await h.get('/metrics');
    expect(headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/sectigo_upstream_calls_total\{outcome="ok",query_type="1",show_validity_period="N"\} 1/);
    expect(text).toContain('sectigo_upstream_call_duration_seconds_bucket');
    expect(text).toMatch(/graphql_operations_total\{outcome="success"\} \d+/);
    expect(text).not.toContain(DEMO_ORDERS.dvIssued);
  });

  it('serves the Apollo Sandbox landing page on GET /graphql for browsers outside production', async () => {
    const { status, text: html } = await h.get('/graphql', { accept: 'text/html' });
    expect(status).toBe(200);
    expect(html).toContain('<!DOCTYPE html>');
    expect(html.toLowerCase()).toContain('sandbox');
    // Sandbox comes from Apollo's CDN: the page says so if it cannot load, under Apollo's CSP nonce.
    const nonce = /nonce="([0-9a-f]+)"/.exec(html)?.[1];
    expect(html).toMatch(/<p id="sandbox-offline" hidden>[^<]*embeddable-sandbox\.cdn\.apollographql\.com/);
    expect(html).toContain(`<script nonce="${nonce ?? 'missing'}">`);
    expect(html.indexOf('sandbox-offline')).toBeLessThan(html.indexOf('embeddable-sandbox.umd'));
  });

  it('answers introspection with the described schema outside production', async () => {
    const result = await h.query<{ __type: { description: string; fields: Array<{ name: string; description: string }> } }>(
      '{ __type(name: "Certificate") { description fields { name description } } }',
    );
    const type = result.body.data?.__type;
    expect(type?.description).toContain('certificate');
    expect(type?.fields.every((f) => f.description.length > 0)).toBe(true);
  });

  it('blocks a CSRF-able GET query without a preflight header', async () => {
    const response = await h.get(`/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
  });
});

describe('the schema documents itself', () => {
  it('has a description on every type, field, argument and enum value it defines', async () => {
    const result = await h.query<{
      __schema: {
        types: Array<{
          name: string;
          description: string | null;
          fields: Array<{ name: string; description: string | null; args: Array<{ name: string; description: string | null }> }> | null;
          enumValues: Array<{ name: string; description: string | null }> | null;
        }>;
      };
    }>(`{ __schema { types {
      name description
      fields { name description args { name description } }
      enumValues { name description }
    } } }`);
    const ours = (result.body.data?.__schema.types ?? []).filter(
      (t) => !t.name.startsWith('_') && !t.name.includes('__') && !['String', 'Int', 'Boolean', 'ID', 'Float'].includes(t.name),
    );
    expect(ours.map((t) => t.name)).toEqual(
      expect.arrayContaining(['Order', 'Certificate', 'ValidationStatus', 'License', 'ShippingDetails']),
    );
    const missing: string[] = [];
    for (const type of ours) {
      if (!type.description) missing.push(type.name);
      for (const field of type.fields ?? []) {
        // _service and _entities are federation's own.
        if (field.name.startsWith('_')) continue;
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
      for (const value of type.enumValues ?? []) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('structured logs', () => {
  it('writes one JSON line per upstream call and one per operation with the upstream work it caused', async () => {
    const before = h.logs.length;
    await h.query(
      `query OrderBadge { a: order(orderNumber: "${DEMO_ORDERS.multiDomain}") { status } b: order(orderNumber: "${DEMO_ORDERS.multiDomain}") { status } }`,
    );
    const lines = h.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    const calls = lines.filter((l) => l['event'] === 'upstream_call');
    expect(calls).toEqual([
      expect.objectContaining({
        level: 'info',
        orderNumber: DEMO_ORDERS.multiDomain,
        queryType: 0,
        showValidityPeriod: false,
        outcome: 'ok',
      }),
    ]);
    expect(typeof calls[0]?.['durationMs']).toBe('number');
    const operations = lines.filter((l) => l['event'] === 'graphql_operation');
    expect(operations).toEqual([expect.objectContaining({ operationName: 'OrderBadge', upstreamCalls: 1, cacheHits: 0, errorCodes: [] })]);
  });
});

describe('readiness', () => {
  it('answers GET /health/ready with 200 while serving', async () => {
    const response = await h.get('/health/ready');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ status: 'ready', upstreamCircuit: 'closed' });
  });
});
