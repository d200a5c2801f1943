import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/** Distinctive so that a scan of logs and responses can find any leak. */
export const TEST_PASSWORD = 'S3cr3t-pa55word-that-must-never-leak';

/** Hands text to the suite-wide secret scan (see global-secret-scan.ts). */
export function recordForSecretScan(text: string): void {
  const dir = process.env['SECRET_SCAN_DIR'];
  if (dir === undefined) return;
  appendFileSync(join(dir, `${process.pid}.log`), `${text.replaceAll('\n', ' ')}\n`);
}
