/** The demo's orders are dated relative to today (npm start), the tests' stay fixed. */
import { describe, expect, it } from 'vitest';
import { DEMO_ORDERS, SEED_DAY, seedOrders, seedOrdersAsOf, type SimOrder } from '../../src/simulator/index.js';
import { startHarness } from '../support/harness.js';

const byNumber = (orders: readonly SimOrder[], orderNumber: string) => orders.find((order) => order.orderNumber === orderNumber);

describe('seedOrdersAsOf', () => {
  it('is the fixed seed on the seed day', () => {
    expect(seedOrdersAsOf(new Date(`${SEED_DAY}T15:30:00Z`))).toEqual(seedOrders);
  });

  it('moves every date by the same whole days, so certificates are as far from expiry as on the seed day', async () => {
    const today = new Date('2026-12-02T09:00:00Z');
    const shifted = seedOrdersAsOf(today);
    const original = byNumber(seedOrders, DEMO_ORDERS.dvIssued);
    const moved = byNumber(shifted, DEMO_ORDERS.dvIssued);
    const days = (Date.parse('2026-12-02') - Date.parse(SEED_DAY)) / 86_400_000;
    expect(Number(moved?.certificates[0]?.['notAfter'])).toBe(Number(original?.certificates[0]?.['notAfter']) + days * 86_400);
    expect(moved?.fields['orderDateTime']).toBe('2026-12-01 11:57');
    expect(original?.fields['orderDateTime']).toBe('2025-06-11 11:57');

    // Through the service, as a frontend sees it: still valid, for as long as on the seed day.
    const h = await startHarness({ simulator: { orders: shifted } });
    try {
      const result = await h.query<{ order: { certificates: Array<{ validity: { notAfter: string } }> } }>(
        `{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { certificates { validity { notAfter } } } }`,
      );
      const notAfter = Date.parse(result.body.data?.order.certificates[0]?.validity.notAfter ?? '');
      expect(Math.round((notAfter - today.getTime()) / 86_400_000)).toBe(
        Math.round((Date.parse('2026-07-13T23:59:59Z') - Date.parse(`${SEED_DAY}T09:00:00Z`)) / 86_400_000),
      );
    } finally {
      await h.close();
    }
  });

  it('leaves values that are not timestamps as they are', () => {
    const shifted = seedOrdersAsOf(new Date('2030-01-01T00:00:00Z'));
    const bad = shifted.flatMap((order) => order.certificates).filter((certificate) => certificate['notAfter'] === 'not-a-timestamp');
    expect(bad).toHaveLength(1);
  });
});
