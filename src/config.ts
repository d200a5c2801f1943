/**
 * Configuration: read from the environment once, validated, frozen. A bad
 * value stops the start with one line naming the variable and what it got.
 */
import { Secret } from './secret.js';
import { upstreamUrlProblem } from './sectigo/client.js';
import type { ResponseFormat } from './sectigo/wire.js';

export const DEFAULT_SECTIGO_API_URL = 'https://secure.trust-provider.com/products/!GetDetailedOrderStatus';

/** Where answers come from: the real endpoint, or the built-in simulator (development only). */
export type UpstreamConfig =
  | {
      readonly kind: 'sectigo';
      readonly url: URL;
      readonly loginName: string;
      /** Held here and handed to the client; prints as [redacted] everywhere. */
      readonly loginPassword: Secret;
    }
  | { readonly kind: 'simulator' };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly production: boolean;
  readonly port: number;
  /** Undefined: all interfaces. */
  readonly host: string | undefined;
  readonly upstream: UpstreamConfig;
  readonly responseFormat: ResponseFormat;
  readonly upstreamTimeoutMs: number;
  readonly upstreamMaxConnections: number;
  readonly upstreamMaxConcurrency: number;
  readonly upstreamMaxResponseBytes: number;
  readonly upstreamDeadlineMs: number;
  readonly upstreamRetries: number;
  readonly upstreamRetryBaseMs: number;
  /** Distinct orders failing with "upstream down" within the window that open the circuit. */
  readonly upstreamBreakerFailures: number;
  readonly upstreamBreakerWindowMs: number;
  readonly upstreamBreakerHalfOpenMs: number;
  readonly upstreamAuthBackoffMs: number;
  /** Calls per second at most (sliding window); 0 = unlimited. */
  readonly upstreamRateLimit: number;
  readonly cacheTtlMs: number;
  /** How long past its TTL an answer may still be served when the upstream fails; 0 = never. */
  readonly staleIfErrorMs: number;
  readonly cacheMaxBytes: number;
  /** Whole responses kept while the answers they hold are (src/http/response-cache.ts); 0 = off. */
  readonly responseCacheMaxBytes: number;
  readonly maxOrdersPerQuery: number;
  readonly maxRequestBodyBytes: number;
  readonly http: HttpLimits;
  readonly limits: QueryLimits;
  /** The optional cache tier shared by replicas. */
  readonly redis: RedisConfig | undefined;
  /** When set, /graphql requires this value in `routerSecretHeader`. */
  readonly routerSecret: string | undefined;
  readonly routerSecretHeader: string;
  readonly introspection: boolean;
  readonly landingPage: boolean;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
}

/** One Redis server, or the seed nodes of a Redis Cluster. */
export type RedisTarget =
  | {
      readonly kind: 'single';
      /** redis:// or rediss:// URL; may carry a password, so never logged. */
      readonly url: string;
    }
  | {
      readonly kind: 'cluster';
      readonly nodes: ReadonlyArray<{ readonly host: string; readonly port: number }>;
      /** REDIS_PASSWORD (and REDIS_USERNAME), for clusters with AUTH. */
      readonly username: string | undefined;
      readonly password: Secret | undefined;
      readonly tls: boolean;
    };

export interface RedisConfig {
  readonly target: RedisTarget;
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly lockMs: number;
}

/** What one client connection may take of the HTTP server. */
export interface HttpLimits {
  /** Time to receive a request's headers. */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included (not the time to answer it). */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections at most; more are closed as they arrive. */
  readonly maxConnections: number;
}

/** Checked before execution, so an abusive operation never reaches the upstream. */
export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  readonly maxCost: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^[0-9]+$/.test(raw.trim()))
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be from ${min} to ${max}, got ${value}`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  switch (raw.trim().toLowerCase()) {
    case 'true':
    case '1':
    case 'yes':
      return true;
    case 'false':
    case '0':
    case 'no':
      return false;
    default:
      throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
  }
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return value as T;
}

function upstreamFrom(env: Env, production: boolean): UpstreamConfig {
  const loginName = env['SECTIGO_LOGIN_NAME'] ?? '';
  const loginPassword = env['SECTIGO_LOGIN_PASSWORD'] ?? '';
  const rawUrl = env['SECTIGO_API_URL']?.trim() || DEFAULT_SECTIGO_API_URL;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ConfigError(`SECTIGO_API_URL must be an absolute URL, got ${JSON.stringify(rawUrl)}`);
  }
  const problem = upstreamUrlProblem(url);
  if (problem !== null) throw new ConfigError(`SECTIGO_API_URL ${problem}, got ${JSON.stringify(url.origin + url.pathname)}`);

  if (loginName === '' && loginPassword === '') {
    if (production) {
      throw new ConfigError('SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD must be set when NODE_ENV=production, got neither');
    }
    return { kind: 'simulator' };
  }
  if (loginName === '') throw new ConfigError('SECTIGO_LOGIN_NAME must be set when SECTIGO_LOGIN_PASSWORD is, got nothing');
  if (loginPassword === '') throw new ConfigError('SECTIGO_LOGIN_PASSWORD must be set when SECTIGO_LOGIN_NAME is, got nothing');
  if (loginName.length > 64) throw new ConfigError(`SECTIGO_LOGIN_NAME must be at most 64 characters, got ${loginName.length}`);
  if (loginPassword.length > 128) throw new ConfigError('SECTIGO_LOGIN_PASSWORD must be at most 128 characters, got a longer one');
  return { kind: 'sectigo', url, loginName, loginPassword: new Secret(loginPassword) };
}

function redisTargetFrom(env: Env): RedisTarget | undefined {
  const url = env['REDIS_URL']?.trim() ?? '';
  const nodes = env['REDIS_CLUSTER_NODES']?.trim() ?? '';
  if (url !== '' && nodes !== '') throw new ConfigError('REDIS_URL and REDIS_CLUSTER_NODES are alternatives, got both');
  if (url !== '') {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL, got something that is not a URL');
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
      throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got the protocol ${parsed.protocol}`);
    }
    return { kind: 'single', url };
  }
  if (nodes === '') return undefined;
  const seeds = nodes.split(',').map((node) => {
    const match = /^\[?([A-Za-z0-9.:_-]+?)\]?:([0-9]{1,5})$/.exec(node.trim());
    const port = Number(match?.[2]);
    if (match?.[1] === undefined || port < 1 || port > 65535) {
      throw new ConfigError(`REDIS_CLUSTER_NODES must be comma-separated host:port pairs, got ${JSON.stringify(node.trim().slice(0, 80))}`);
    }
    return { host: match[1], port };
  });
  const password = env['REDIS_PASSWORD'] ?? '';
  const username = env['REDIS_USERNAME']?.trim() ?? '';
  return {
    kind: 'cluster',
    nodes: seeds,
    username: username === '' ? undefined : username,
    password: password === '' ? undefined : new Secret(password),
    tls: flag(env, 'REDIS_TLS', false),
  };
}

export function loadConfig(env: Env = process.env): Config {
  const production = env['NODE_ENV'] === 'production';
  const upstreamMaxConnections = integer(env, 'UPSTREAM_MAX_CONNECTIONS', 4, 1, 256);
  const upstreamTimeoutMs = integer(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 1, 600_000);
  const upstreamDeadlineMs = integer(env, 'UPSTREAM_DEADLINE_MS', Math.max(upstreamTimeoutMs, 25_000), 1, 3_600_000);
  if (upstreamDeadlineMs < upstreamTimeoutMs) {
    throw new ConfigError(`UPSTREAM_DEADLINE_MS must be at least UPSTREAM_TIMEOUT_MS (${upstreamTimeoutMs}), got ${upstreamDeadlineMs}`);
  }
  const redisTarget = redisTargetFrom(env);
  let redis: RedisConfig | undefined;
  if (redisTarget !== undefined) {
    const keyPrefix = env['REDIS_KEY_PREFIX']?.trim() || 'sectigo-subgraph';
    if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(keyPrefix))
      throw new ConfigError(`REDIS_KEY_PREFIX must be 1-64 of [A-Za-z0-9:_.-], got ${JSON.stringify(keyPrefix)}`);
    redis = {
      target: redisTarget,
      keyPrefix,
      commandTimeoutMs: integer(env, 'REDIS_COMMAND_TIMEOUT_MS', 100, 1, 10_000),
      lockMs: integer(env, 'REDIS_LOCK_MS', upstreamDeadlineMs + 2_000, 100, 3_600_000),
    };
  }
  const routerSecret = env['ROUTER_SECRET'];
  if (routerSecret !== undefined && routerSecret !== '' && routerSecret.length < 16) {
    throw new ConfigError('ROUTER_SECRET must be at least 16 characters, got a shorter one');
  }
  const routerSecretHeader = (env['ROUTER_SECRET_HEADER']?.trim() || 'x-router-secret').toLowerCase();
  if (!/^[a-z0-9-]{1,64}$/.test(routerSecretHeader)) {
    throw new ConfigError(`ROUTER_SECRET_HEADER must be an HTTP header name, got ${JSON.stringify(routerSecretHeader)}`);
  }
  const requestTimeoutMs = integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 20_000, 100, 600_000);
  const headersTimeoutMs = integer(env, 'HTTP_HEADERS_TIMEOUT_MS', Math.min(10_000, requestTimeoutMs), 100, 600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`HTTP_HEADERS_TIMEOUT_MS must be at most HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got ${headersTimeoutMs}`);
  }
  const host = env['HOST']?.trim();
  const config: Config = {
    production,
    port: integer(env, 'PORT', 4001, 0, 65535),
    host: host === undefined || host === '' ? undefined : host,
    upstream: upstreamFrom(env, production),
    responseFormat: integer(env, 'SECTIGO_RESPONSE_FORMAT', 1, 1, 2) as ResponseFormat,
    upstreamTimeoutMs,
    upstreamDeadlineMs,
    upstreamRetries: integer(env, 'UPSTREAM_RETRIES', 2, 0, 10),
    upstreamRetryBaseMs: integer(env, 'UPSTREAM_RETRY_BASE_MS', 200, 1, 60_000),
    upstreamBreakerFailures: integer(env, 'UPSTREAM_BREAKER_FAILURES', 5, 1, 1000),
    upstreamBreakerWindowMs: integer(env, 'UPSTREAM_BREAKER_WINDOW_MS', 30_000, 1, 3_600_000),
    upstreamBreakerHalfOpenMs: integer(env, 'UPSTREAM_BREAKER_HALF_OPEN_MS', 15_000, 1, 3_600_000),
    upstreamAuthBackoffMs: integer(env, 'UPSTREAM_AUTH_BACKOFF_MS', 60_000, 0, 3_600_000),
    // On by default: Sectigo publishes no limit, and -16 can mean the source
    // IP is blocked. 20/s serves a 100-id request in 5 s, well inside the
    // 25 s deadline, and stays far below what a reseller portal asks of it.
    upstreamRateLimit: integer(env, 'UPSTREAM_RATE_LIMIT', 20, 0, 10_000),
    upstreamMaxConnections,
    upstreamMaxConcurrency: integer(env, 'UPSTREAM_MAX_CONCURRENCY', upstreamMaxConnections, 1, 1024),
    upstreamMaxResponseBytes: integer(env, 'UPSTREAM_MAX_RESPONSE_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
    cacheTtlMs: integer(env, 'CACHE_TTL_MS', 30_000, 0, 86_400_000),
    cacheMaxBytes: integer(env, 'CACHE_MAX_BYTES', 64 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
    responseCacheMaxBytes: integer(env, 'RESPONSE_CACHE_MAX_BYTES', 16 * 1024 * 1024, 0, 16 * 1024 * 1024 * 1024),
    staleIfErrorMs: integer(env, 'STALE_IF_ERROR_MS', 0, 0, 86_400_000),
    maxOrdersPerQuery: integer(env, 'ORDERS_MAX_IDS', 100, 1, 1000),
    maxRequestBodyBytes: integer(env, 'MAX_REQUEST_BODY_BYTES', 100 * 1024, 1024, 16 * 1024 * 1024),
    http: {
      headersTimeoutMs,
      requestTimeoutMs,
      keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
      maxConnections: integer(env, 'HTTP_MAX_CONNECTIONS', 1_000, 1, 1_000_000),
    },
    limits: {
      maxDepth: integer(env, 'QUERY_MAX_DEPTH', 12, 1, 100),
      maxAliases: integer(env, 'QUERY_MAX_ALIASES', 30, 0, 1000),
      maxTokens: integer(env, 'QUERY_MAX_TOKENS', 3000, 10, 100_000),
      maxDirectives: integer(env, 'QUERY_MAX_DIRECTIVES', 50, 0, 1000),
      maxCost: integer(env, 'QUERY_MAX_COST', 5_000, 1, 10_000_000),
    },
    redis,
    routerSecret: routerSecret === undefined || routerSecret === '' ? undefined : routerSecret,
    routerSecretHeader,
    introspection: flag(env, 'GRAPHQL_INTROSPECTION', !production),
    landingPage: flag(env, 'GRAPHQL_LANDING_PAGE', !production),
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    // Below docker stop's 10 s, so our own drain ends before a SIGKILL would.
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 8_000, 0, 600_000),
  };
  return Object.freeze(config);
}

/** The configuration as it may be logged: no password, ever. */
export function describeConfig(config: Config): Record<string, unknown> {
  const upstream =
    config.upstream.kind === 'sectigo'
      ? { kind: 'sectigo', url: config.upstream.url.href, loginName: config.upstream.loginName }
      : { kind: 'simulator' };
  const target = config.redis?.target;
  const redis =
    config.redis === undefined || target === undefined
      ? undefined
      : {
          ...config.redis,
          target:
            target.kind === 'single'
              ? { kind: 'single', url: redactUrl(target.url) }
              : { ...target, password: target.password === undefined ? undefined : '[set]' },
        };
  return { ...config, upstream, redis, routerSecret: config.routerSecret === undefined ? undefined : '[set]' };
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = 'redacted';
  return parsed.href;
}
