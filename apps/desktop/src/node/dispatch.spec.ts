import { describe, expect, it } from '@jest/globals';
import { DirconnError } from '@dirconn/core';
import { API_METHOD_NAMES, apiInputs } from '../shared/api-contract.js';
import { dispatch, type ApiHandlers } from './dispatch.js';
import { notImplementedHandlers } from './not-implemented.handlers.js';

const desktop = { face: 'desktop' as const };

function handlersWith(overrides: Partial<ApiHandlers>): ApiHandlers {
  return { ...notImplementedHandlers, ...overrides };
}

describe('the API contract', () => {
  it('has a schema for every method name and no other', () => {
    expect(Object.keys(apiInputs).sort()).toEqual([...API_METHOD_NAMES].sort());
  });
});

describe('dispatch', () => {
  it('passes the validated input, with defaults filled in, to the handler', async () => {
    const seen: unknown[] = [];
    const handlers = handlersWith({
      reports: async (input) => {
        seen.push(input);
        return { reports: [] };
      },
    });
    await expect(dispatch(handlers, 'reports', {}, desktop)).resolves.toEqual({ ok: true, value: { reports: [] } });
    expect(seen).toEqual([{ limit: 10 }]);
  });

  it.each([
    ['an unknown method', 'deleteEverything', {}],
    ['a prototype key as method', '__proto__', {}],
    ['an extra field', 'status', { admin: true }],
    ['a wrong type', 'reports', { limit: '10' }],
    ['an out-of-range limit', 'reports', { limit: 51 }],
    ['a schedule under 5 minutes', 'scheduleStart', { intervalMinutes: 4 }],
    ['a negative removal allowance', 'syncNow', { overrides: { allowRemovals: -1 } }],
    ['a removal allowance that is neither a count nor all', 'syncNow', { overrides: { allowRemovals: 'many' } }],
    ['a non-boolean source-change allowance', 'plan', { overrides: { allowSourceChange: 'yes' } }],
    ['an unknown override', 'syncNow', { overrides: { ignoreHash: true } }],
    ['an empty settings change', 'setSettings', { values: {} }],
    ['an unknown server kind', 'signIn', { server: { kind: 'mars' }, clientId: 'organization.x', clientSecret: 's' }],
    ['a missing client secret', 'signIn', { server: { kind: 'us' }, clientId: 'organization.x' }],
    ['a non-object payload', 'cancel', 'please'],
  ])('rejects %s with a usage error before any handler runs', async (_what, method, payload) => {
    let called = false;
    const spy = async (): Promise<never> => {
      called = true;
      throw new Error('must not run');
    };
    const handlers = Object.fromEntries(API_METHOD_NAMES.map((m) => [m, spy])) as unknown as ApiHandlers;
    const response = await dispatch(handlers, method, payload, desktop);
    expect(response.ok).toBe(false);
    expect(!response.ok && response.error.code).toBe('usage');
    expect(called).toBe(false);
  });

  it('never echoes a rejected secret value in the error', async () => {
    const response = await dispatch(notImplementedHandlers, 'signIn', { server: { kind: 'us' }, clientId: 'organization.x', clientSecret: 's3cr3t-value', extra: 1 }, desktop);
    expect(response.ok).toBe(false);
    expect(JSON.stringify(response)).not.toContain('s3cr3t-value');
  });

  it('turns a DirconnError into {code, message, hint, details}', async () => {
    const handlers = handlersWith({
      clearCache: async () => {
        throw new DirconnError('store.locked', 'The dirconn data directory /d is in use by another dirconn process (pid 7).', { hint: 'Wait.', details: { dataDir: '/d' } });
      },
    });
    await expect(dispatch(handlers, 'clearCache', {}, desktop)).resolves.toEqual({
      ok: false,
      error: { code: 'store.locked', message: 'The dirconn data directory /d is in use by another dirconn process (pid 7).', hint: 'Wait.', details: { dataDir: '/d' } },
    });
  });

  it('turns an unexpected error into an internal error with a hint', async () => {
    const handlers = handlersWith({
      about: async () => {
        throw new TypeError('x is undefined');
      },
    });
    const response = await dispatch(handlers, 'about', {}, desktop);
    expect(response).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(!response.ok && response.error.hint).toMatch(/bug/);
  });
});
