/**
 * vitest globalSetup: every log line and GraphQL response that a harness
 * produces, in every test file, is appended to a scan directory; after the
 * whole suite, the teardown fails the run if any of them holds the test
 * password in any encoding a client or log could show it in.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_PASSWORD } from './secrets.js';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'secret-scan-'));
  process.env['SECRET_SCAN_DIR'] = dir;
  return () => {
    const forms = [TEST_PASSWORD, encodeURIComponent(TEST_PASSWORD), Buffer.from(TEST_PASSWORD).toString('base64')];
    let lines = 0;
    const leaks: string[] = [];
    for (const file of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        if (line === '') continue;
        lines += 1;
        if (forms.some((form) => line.includes(form))) leaks.push(line.slice(0, 300));
      }
    }
    rmSync(dir, { recursive: true, force: true });
    // vitest reports an error thrown here but still exits 0: set the exit code too.
    const fail = (message: string): never => {
      process.exitCode = 1;
      throw new Error(message);
    };
    // That the harness feeds this scan at all is a test of its own (test/secret-scan.test.ts).
    if (leaks.length > 0) fail(`The test password leaked into ${leaks.length} log lines or responses:\n${leaks.join('\n')}`);
    process.stdout.write(`secret scan: ${lines} log lines and responses, no password\n`);
  };
}
