/** The suite-wide password scan only proves something if the harness feeds it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DEMO_ORDERS } from '../src/simulator/index.js';
import { startHarness } from './support/harness.js';

it('records every log line and response of a harness for the end-of-run password scan', async () => {
  const dir = process.env['SECRET_SCAN_DIR'];
  expect(dir).toBeDefined();
  const file = join(dir ?? '', `${process.pid}.log`);
  const before = (() => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  })();
  const h = await startHarness();
  try {
    const result = await h.query(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`);
    const recorded = readFileSync(file, 'utf8').slice(before.length);
    expect(recorded).toContain(result.text.replaceAll('\n', ' '));
    for (const line of h.logs) expect(recorded).toContain(line);
    expect(h.logs.length).toBeGreaterThan(0);
  } finally {
    await h.close();
  }
});
