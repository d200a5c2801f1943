import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { codeFor, createFormatError, toGraphQLError } from '../../src/graphql/errors.js';
import { SectigoError } from '../../src/sectigo/errors.js';

describe('formatError', () => {
  it('masks an unexpected error: generic message, INTERNAL_SERVER_ERROR, no stack, original only to the log', () => {
    const logged: unknown[] = [];
    const format = createFormatError({ hideStacks: true, onUnexpected: (e) => logged.push(e) });
    const original = new TypeError('Cannot read properties of undefined (reading secretThing)');
    const formatted = format(
      { message: original.message, path: ['order'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } },
      new GraphQLError(original.message, { originalError: original }),
    );
    expect(formatted).toEqual({ message: 'Internal server error', path: ['order'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logged).toEqual([original]);
  });

  it('passes contract errors through, dropping the stack trace when asked to', () => {
    const format = createFormatError({ hideStacks: true });
    const formatted = format(
      { message: 'Order 1 was not found', extensions: { code: 'NOT_FOUND', sectigoErrorCode: -4, stacktrace: ['at y'] } },
      new GraphQLError('x'),
    );
    expect(formatted).toEqual({ message: 'Order 1 was not found', extensions: { code: 'NOT_FOUND', sectigoErrorCode: -4 } });
  });

  it('keeps graphql-js validation errors as they are', () => {
    const format = createFormatError({ hideStacks: true });
    const formatted = format(
      { message: 'Cannot query field "nope" on type "Order".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      null,
    );
    expect(formatted.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('upstream errors as GraphQL errors', () => {
  it('maps -4 on orderNumber or certificateID to NOT_FOUND and on anything else to UPSTREAM_ERROR', () => {
    const onOrder = new SectigoError('SECTIGO_INVALID_ARGUMENT', 'x', { sectigoErrorCode: -4, argument: 'orderNumber' });
    const onCert = new SectigoError('SECTIGO_INVALID_ARGUMENT', 'x', { sectigoErrorCode: -4, argument: 'certificateID' });
    const onOther = new SectigoError('SECTIGO_INVALID_ARGUMENT', 'x', { sectigoErrorCode: -4, argument: 'queryType' });
    expect([codeFor(onOrder), codeFor(onCert), codeFor(onOther)]).toEqual(['NOT_FOUND', 'NOT_FOUND', 'UPSTREAM_ERROR']);
  });

  it('does not attach the cause, so nothing from the upstream can be serialised', () => {
    const cause = new Error('raw upstream body: loginPassword=hunter2');
    const error = toGraphQLError(new SectigoError('SECTIGO_CONNECTION_FAILED', 'The connection to Sectigo failed', { cause }), 'Order 1');
    expect(error.originalError).toBeUndefined();
    expect(JSON.stringify(error.toJSON())).not.toContain('hunter2');
    expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstreamCode: 'SECTIGO_CONNECTION_FAILED' });
  });

  it('maps HTTP 5xx to UPSTREAM_UNAVAILABLE and 4xx to UPSTREAM_ERROR', () => {
    expect(codeFor(new SectigoError('SECTIGO_HTTP_STATUS', 'x', { httpStatus: 503 }))).toBe('UPSTREAM_UNAVAILABLE');
    expect(codeFor(new SectigoError('SECTIGO_HTTP_STATUS', 'x', { httpStatus: 403 }))).toBe('UPSTREAM_ERROR');
  });
});
