/**
 * Structured JSON logs (pino). Credentials are never put into a log object;
 * the redaction below is the second line of defence for anything that
 * carries one by accident.
 */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { traceFields } from './tracing.js';

/**
 * Explicit paths only: a second-level wildcard made redaction the most
 * expensive part of logging (bench profile). Credentials live only in
 * `config.upstream` and the client; these are the shapes that could carry one.
 */
export const REDACTED_PATHS = [
  'loginPassword',
  'password',
  '*.loginPassword',
  '*.password',
  'config.upstream.loginPassword',
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * pino's isoTime, formatted once per millisecond rather than once per line:
 * at thousands of lines a second most share their millisecond.
 */
let lastMs = -1;
let lastTime = '';
function isoTimeByMillisecond(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastTime = `,"time":"${new Date(ms).toISOString()}"`;
  }
  return lastTime;
}

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'sectigo-order-status-subgraph' },
    timestamp: isoTimeByMillisecond,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    // trace_id / span_id of the active span, when a trace is recording.
    mixin: () => traceFields(),
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/**
 * The same logger without the redaction pass, for the per-request lines
 * (graphql_operation, upstream_call) whose every field is built by us from
 * numbers, codes, order numbers and the client's operation name: nothing in
 * them can carry a credential, and redaction was a third of a line's cost
 * (warm profile, BENCHMARKS.md). Every other line keeps it; the secret scan
 * in the tests reads these lines like all others.
 */
const unredactedLoggers = new WeakMap<Logger, Logger>();
export function unredacted(logger: Logger): Logger {
  let child = unredactedLoggers.get(logger);
  if (child === undefined) {
    child = logger.child({}, { redact: { paths: [], censor: '[redacted]' } });
    unredactedLoggers.set(logger, child);
  }
  return child;
}

export type { Logger };
