import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging.js';
import { Secret } from '../src/secret.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

describe('log redaction', () => {
  it('removes credentials from every shape a log object could carry them in', () => {
    const { logger, lines } = capture();
    logger.info({ loginPassword: 'leak-1', password: 'leak-2' }, 'top level');
    logger.info({ upstream: { loginPassword: 'leak-3' }, account: { password: 'leak-4' } }, 'nested');
    logger.info({ config: { upstream: { loginPassword: 'leak-5' } } }, 'configuration');
    logger.info({ req: { headers: { authorization: 'Basic leak-6', cookie: 'leak-7' } } }, 'request');
    logger.info({ credentials: { loginName: 'me', loginPassword: new Secret('leak-8') } }, 'a Secret');
    logger.error({ err: new Error('failed'), secret: new Secret('leak-9') }, 'an error');
    const text = lines.join('');
    expect(lines).toHaveLength(6);
    for (let i = 1; i <= 9; i += 1) expect(text).not.toContain(`leak-${i}`);
    expect(text).toContain('[redacted]');
  });

  it('writes one JSON object per line with an ISO time and a level name', () => {
    const { logger, lines } = capture();
    logger.info({ event: 'x' }, 'hello');
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', event: 'x', msg: 'hello', service: 'sectigo-order-status-subgraph' });
    expect(new Date(String(entry['time'])).toISOString()).toBe(entry['time']);
  });
});
