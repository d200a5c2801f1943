/**
 * The example client (examples/) against the real stack: each example's typed
 * result for the seeded demo orders, and the upstream calls it caused, which
 * must match the cost comment at the top of its file. The cache is off so
 * every query shows its own upstream calls.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { callSummary, startHarness, type Harness } from '../support/harness.js';
import { request, RequestError, type RequestOptions } from '../../examples/src/client.js';
import { certificateExpiry } from '../../examples/src/certificate-expiry.js';
import { OrderStatusBadgeDocument, orderStatusBadge } from '../../examples/src/order-status-badge.js';
import { replacementChain } from '../../examples/src/replacement-chain.js';
import { shippingTracker } from '../../examples/src/shipping-tracker.js';
import { validationProgress } from '../../examples/src/validation-progress.js';

let h: Harness;
let options: RequestOptions;

beforeAll(async () => {
  h = await startHarness({ env: { CACHE_TTL_MS: '0' } });
  options = { url: `${h.url}/graphql` };
});
afterAll(() => h.close());
beforeEach(() => h.simulator.resetCalls());

describe('order-status-badge (queryType=0, showValidityPeriod=N)', () => {
  it('shows an issued DV order as a success badge, with one status-only call', async () => {
    expect(await orderStatusBadge(DEMO_ORDERS.dvIssued, options)).toEqual({
      label: 'Issued',
      tone: 'success',
      detail: 'PositiveSSL: Valid',
    });
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.dvIssued} q0 N`]);
  });

  it('tells pending, partly revoked and rejected orders apart', async () => {
    expect(await orderStatusBadge(DEMO_ORDERS.ovPendingFound, options)).toEqual({
      label: 'Awaiting validation',
      tone: 'pending',
      detail: 'Sectigo OV SSL: Awaiting Validation',
    });
    expect(await orderStatusBadge(DEMO_ORDERS.multiDomain, options)).toEqual({
      label: 'Issued, 1 of 2 revoked',
      tone: 'warning',
      detail: 'Sectigo Multi-Domain SSL (3 of 3 Domains): Valid\nSectigo Multi-Domain SSL (2 of 3 Domains): Revoked',
    });
    expect(await orderStatusBadge(DEMO_ORDERS.rejected, options)).toMatchObject({
      label: 'Rejected: Domain control validation was not completed within 30 days',
      tone: 'danger',
    });
    expect(callSummary(h.simulator)).toEqual([
      `${DEMO_ORDERS.ovPendingFound} q0 N`,
      `${DEMO_ORDERS.multiDomain} q0 N`,
      `${DEMO_ORDERS.rejected} q0 N`,
    ]);
  });

  it('turns NOT_FOUND and BAD_USER_INPUT into badges; bad input makes no upstream call', async () => {
    expect(await orderStatusBadge('999', options)).toMatchObject({ label: 'Order not found', tone: 'neutral' });
    expect(await orderStatusBadge('12ab', options)).toMatchObject({ label: 'Invalid order number', tone: 'neutral' });
    expect(callSummary(h.simulator)).toEqual(['999 q0 N']);
  });

  it('gives request() callers the contract code, typed', async () => {
    const { data, errors } = await request(OrderStatusBadgeDocument, { orderNumber: '999' }, options);
    expect(data).toEqual({ order: null });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.extensions.code).toBe('NOT_FOUND');
    expect(errors[0]?.extensions.sectigoErrorCode).toBe(-4);
    expect(errors[0]?.path).toEqual(['order']);
  });
});

describe('certificate-expiry (queryType=0, showValidityPeriod=Y, one call per order)', () => {
  it('lists every domain of every live certificate, soonest first, and reports failed orders by position', async () => {
    const now = Date.parse('2025-06-15T00:00:00Z');
    const report = await certificateExpiry([DEMO_ORDERS.dvIssued, DEMO_ORDERS.multiDomain, '999', DEMO_ORDERS.codeSigningShipped], {
      ...options,
      now,
    });
    expect(report.rows).toEqual([
      // 1000005: the current certificate's three domains; the revoked one is left out.
      {
        orderNumber: '1000005',
        serialNumber: '7A3F0C11E2D4B6A8C0E2F4A6B8D0E2F4',
        domain: 'api.example.org',
        notAfter: '2025-12-31T23:59:59.000Z',
        daysLeft: 199,
      },
      {
        orderNumber: '1000005',
        serialNumber: '7A3F0C11E2D4B6A8C0E2F4A6B8D0E2F4',
        domain: 'example.com',
        notAfter: '2025-12-31T23:59:59.000Z',
        daysLeft: 199,
      },
      {
        orderNumber: '1000005',
        serialNumber: '7A3F0C11E2D4B6A8C0E2F4A6B8D0E2F4',
        domain: 'www.example.com',
        notAfter: '2025-12-31T23:59:59.000Z',
        daysLeft: 199,
      },
      // 1000007: code signing, no domains.
      {
        orderNumber: '1000007',
        serialNumber: '3C9D2E1F0A8B7C6D5E4F3A2B1C0D9E8F',
        domain: null,
        notAfter: '2026-03-20T23:59:59.000Z',
        daysLeft: 278,
      },
      {
        orderNumber: '1000001',
        serialNumber: '00D1E5B0C4A8F2310A9B7C6D5E4F3A2B1C',
        domain: 'shop.example.com',
        notAfter: '2026-07-13T23:59:59.000Z',
        daysLeft: 393,
      },
    ]);
    expect(report.failed).toEqual([{ orderNumber: '999', code: 'NOT_FOUND', message: expect.any(String) }]);
    expect(callSummary(h.simulator)).toEqual(['1000001 q0 Y', '1000005 q0 Y', '1000007 q0 Y', '999 q0 Y']);
  });

  it('fetches a repeated order number once', async () => {
    const report = await certificateExpiry([DEMO_ORDERS.dvIssued, DEMO_ORDERS.dvIssued], options);
    expect(report.rows.map((row) => row.orderNumber)).toEqual(['1000001', '1000001']);
    expect(callSummary(h.simulator)).toEqual(['1000001 q0 Y']);
  });
});

describe('validation-progress (queryType=1, showValidityPeriod=N)', () => {
  it('shows each step of an OV order that is being validated', async () => {
    expect(await validationProgress(DEMO_ORDERS.ovPendingFound, options)).toEqual({
      status: 'Pending',
      certificates: [
        {
          type: 'Sectigo OV SSL',
          steps: [
            { key: 'csr', label: 'Certificate signing request', progress: 'done', inProgress: false },
            { key: 'dcv', label: 'Domain control validation', progress: 'pending', inProgress: true },
            { key: 'organization', label: 'Organisation validation', progress: 'pending', inProgress: true },
            { key: 'ovCallBack', label: 'Organisation call-back', progress: 'pending', inProgress: false },
            { key: 'evClickThrough', label: 'Subscriber agreement (EV click-through)', progress: 'not-required', inProgress: false },
            { key: 'freeDvUpgrade', label: 'Free DV upgrade', progress: 'pending', inProgress: false },
            { key: 'caa', label: 'CAA record check', progress: 'pending', inProgress: true },
          ],
          done: 1,
          required: 6,
        },
      ],
    });
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.ovPendingFound} q1 N`]);
  });

  it('returns null for an unknown order', async () => {
    expect(await validationProgress('999', options)).toBeNull();
    expect(callSummary(h.simulator)).toEqual(['999 q1 N']);
  });
});

describe('shipping-tracker (queryType=0, showValidityPeriod=N)', () => {
  it('tracks the token of a shipped code-signing order', async () => {
    expect(await shippingTracker(DEMO_ORDERS.codeSigningShipped, options)).toEqual([
      {
        serialNumber: '3C9D2E1F0A8B7C6D5E4F3A2B1C0D9E8F',
        upsTrackingId: '1Z999AA10123456784',
        trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
        recipient: 'Erika Mustermann',
        addressLines: ['Hauptstraße 5', 'Gebäude B', '10115 Berlin', 'DE'],
      },
    ]);
    expect(await shippingTracker(DEMO_ORDERS.dvIssued, options)).toEqual([]);
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.dvIssued} q0 N`, `${DEMO_ORDERS.codeSigningShipped} q0 N`]);
  });
});

describe('replacement-chain (queryType=2, showValidityPeriod=N)', () => {
  it('lists the replacements, oldest first, from one upstream call', async () => {
    expect(await replacementChain(DEMO_ORDERS.withReplacements, options)).toEqual({
      original: { orderNumber: '1000010', status: 'Replaced', orderedAt: '2024-08-05 14:30' },
      replacements: [
        { orderNumber: '1000011', status: 'Issued', orderedAt: '2025-02-10 12:00', domains: ['replaced.example'] },
        { orderNumber: '1000012', status: 'Pending', orderedAt: '2025-06-01 09:41', domains: ['replaced.example'] },
      ],
      current: '1000012',
    });
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.withReplacements} q2 N`]);
  });
});

describe('client', () => {
  it('throws a RequestError, not a GraphQL result, when the URL is not a GraphQL endpoint', async () => {
    const error: unknown = await orderStatusBadge(DEMO_ORDERS.dvIssued, { url: `${h.url}/not-graphql` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).status).toBe(404);
    expect(callSummary(h.simulator)).toEqual([]);
  });
});
