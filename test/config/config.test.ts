import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SECTIGO_API_URL, describeConfig, loadConfig } from '../../src/config.js';

const CREDS = { SECTIGO_LOGIN_NAME: 'reseller', SECTIGO_LOGIN_PASSWORD: 'pw-9f8e7d' };

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('defaults to the simulator outside production without credentials, and to Sectigo with them', () => {
    expect(loadConfig({}).upstream).toEqual({ kind: 'simulator' });
    const withCreds = loadConfig(CREDS);
    expect(withCreds.upstream).toMatchObject({ kind: 'sectigo', loginName: 'reseller' });
    expect(withCreds.upstream.kind === 'sectigo' && withCreds.upstream.url.href).toBe(new URL(DEFAULT_SECTIGO_API_URL).href);
    expect(withCreds).toMatchObject({ port: 4001, cacheTtlMs: 30_000, upstreamTimeoutMs: 10_000, introspection: true, landingPage: true });
  });

  it('refuses to start in production without credentials', () => {
    expect(failure({ NODE_ENV: 'production' })).toMatch(/SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD must be set/);
  });

  it('turns introspection and the landing page off in production unless enabled', () => {
    expect(loadConfig({ NODE_ENV: 'production', ...CREDS })).toMatchObject({ production: true, introspection: false, landingPage: false });
    expect(loadConfig({ NODE_ENV: 'production', ...CREDS, GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it.each([
    [{ SECTIGO_API_URL: 'http://sectigo.example/x', ...CREDS }, /SECTIGO_API_URL uses plain http: .*https:/],
    [{ SECTIGO_API_URL: 'not a url' }, /SECTIGO_API_URL must be an absolute URL, got "not a url"/],
    [{ SECTIGO_API_URL: 'https://user:pw@sectigo.example/x' }, /SECTIGO_API_URL must not carry credentials/],
    [{ PORT: 'abc' }, /PORT must be a whole number .*got "abc"/],
    [{ PORT: '70000' }, /PORT must be from 0 to 65535, got 70000/],
    [{ CACHE_TTL_MS: '-5' }, /CACHE_TTL_MS must be a whole number .*got "-5"/],
    [{ UPSTREAM_TIMEOUT_MS: '0' }, /UPSTREAM_TIMEOUT_MS must be from 1/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of .*got "loud"/],
    [{ GRAPHQL_INTROSPECTION: 'maybe' }, /GRAPHQL_INTROSPECTION must be true or false, got "maybe"/],
    [{ SECTIGO_LOGIN_NAME: 'only-name' }, /SECTIGO_LOGIN_PASSWORD must be set when SECTIGO_LOGIN_NAME is/],
  ])('names the variable and the value it got: %o', (env, message) => {
    expect(failure(env)).toMatch(message);
  });

  it('reads the optional shared cache tier and never logs its password', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    const config = loadConfig({ REDIS_URL: 'redis://:r3dis-pw@cache.internal:6379/2', UPSTREAM_DEADLINE_MS: '20000' });
    expect(config.redis).toEqual({
      target: { kind: 'single', url: 'redis://:r3dis-pw@cache.internal:6379/2' },
      keyPrefix: 'sectigo-subgraph',
      commandTimeoutMs: 100,
      lockMs: 22_000,
    });
    expect(JSON.stringify(describeConfig(config))).not.toContain('r3dis-pw');
    const cluster = loadConfig({
      REDIS_CLUSTER_NODES: 'a.internal:7000, 10.0.0.2:7001,[::1]:7002',
      REDIS_PASSWORD: 'cl-pw-77',
      REDIS_TLS: 'true',
    });
    expect(cluster.redis?.target).toMatchObject({
      kind: 'cluster',
      nodes: [
        { host: 'a.internal', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      tls: true,
    });
    expect(JSON.stringify(describeConfig(cluster))).not.toContain('cl-pw-77');
    expect(inspect(cluster, { depth: 20 })).not.toContain('cl-pw-77');
    expect(failure({ REDIS_CLUSTER_NODES: 'a:7000,b' })).toMatch(/REDIS_CLUSTER_NODES must be comma-separated host:port pairs, got "b"/);
    expect(failure({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_URL: 'redis://a' })).toMatch(/alternatives, got both/);
    expect(failure({ REDIS_URL: 'http://cache:6379' })).toMatch(
      /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL, got the protocol http:/,
    );
    expect(failure({ REDIS_URL: 'redis://cache', REDIS_KEY_PREFIX: 'has space' })).toMatch(/REDIS_KEY_PREFIX/);
  });

  it('accepts plain http only for loopback hosts', () => {
    for (const url of ['http://127.0.0.1:9/x', 'http://localhost:9/x', 'http://[::1]:9/x']) {
      expect(loadConfig({ SECTIGO_API_URL: url, ...CREDS }).upstream.kind).toBe('sectigo');
    }
  });

  it('holds the password so that inspecting, printing or serialising the configuration never shows it', () => {
    const config = loadConfig(CREDS);
    expect(inspect(config, { depth: 20, showHidden: true })).not.toContain('pw-9f8e7d');
    expect(JSON.stringify(config)).not.toContain('pw-9f8e7d');
    expect(config.upstream.kind === 'sectigo' && `${String(config.upstream.loginPassword)}`).toBe('[redacted]');
    expect(config.upstream.kind === 'sectigo' && config.upstream.loginPassword.reveal()).toBe('pw-9f8e7d');
  });

  it('never mentions the password in an error or in the loggable description', () => {
    expect(failure({ SECTIGO_LOGIN_PASSWORD: 'pw-9f8e7d' })).not.toContain('pw-9f8e7d');
    expect(failure({ SECTIGO_LOGIN_NAME: 'x', SECTIGO_LOGIN_PASSWORD: 'p'.repeat(200) })).not.toContain('ppp');
    expect(JSON.stringify(describeConfig(loadConfig(CREDS)))).not.toContain('pw-9f8e7d');
  });
});
