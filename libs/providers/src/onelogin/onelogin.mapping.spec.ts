import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG } from '@dirconn/core';
import { describeStatus, looksLikeEmail, mapOneLoginRole, mapOneLoginUser, oneLoginEmail, oneLoginId } from './onelogin.mapping.js';
import { checkOneLoginFilter, oneLoginBase, parseOneLoginFilter, validateOneLoginConfig, ONELOGIN_DEFAULTS } from './onelogin.config.js';

const noSuffix = { useEmailPrefixSuffix: false, emailSuffix: null };
const suffix = { useEmailPrefixSuffix: true, emailSuffix: '@corp.example' };

describe('OneLogin email fallback (reference §6.5)', () => {
  it.each([
    [{ email: ' Alice@Example.com ', username: 'alice' }, noSuffix, 'alice@example.com', 'email'],
    [{ email: 'alice at example', username: 'Alice@Example.com' }, noSuffix, 'alice@example.com', 'username'],
    [{ email: '', username: 'alice' }, noSuffix, null, 'none'],
    [{ email: null, username: 'alice' }, suffix, 'alice@corp.example', 'username+suffix'],
    [{ email: 'a@b', username: 'x@y' }, suffix, 'x@y@corp.example', 'username+suffix'],
    [{ email: 'a@b', username: '' }, suffix, null, 'none'],
  ])('%j with %j → %s (%s)', (user, sync, email, source) => {
    expect(oneLoginEmail(user, sync)).toEqual({ email, source });
  });

  it('looks for non-space @ non-space . non-space', () => {
    expect(looksLikeEmail('a@b.c')).toBe(true);
    expect(looksLikeEmail('a @b.c')).toBe(false);
    expect(looksLikeEmail('a@bc')).toBe(false);
    expect(looksLikeEmail(undefined)).toBe(false);
  });
});

describe('OneLogin user and role mapping', () => {
  it('turns integer ids into strings; status 2 (Suspended) is disabled, every other status active; never deleted', () => {
    for (const status of [0, 1, 3, 4, 5, 7, 8]) expect(mapOneLoginUser({ id: 27001, email: 'a@b.co', status }, noSuffix)?.user).toMatchObject({ externalId: '27001', referenceId: '27001', disabled: false, deleted: false });
    expect(mapOneLoginUser({ id: 27001, email: 'a@b.co', status: 2, firstname: 'Ann', lastname: 'Lee' }, noSuffix)?.user).toEqual({ externalId: '27001', referenceId: '27001', email: 'a@b.co', disabled: true, deleted: false, displayName: 'Ann Lee' });
  });

  it('keeps a user without a usable email with email null (core names it) and refuses one without an id', () => {
    expect(mapOneLoginUser({ id: 5, email: 'x', username: 'bob' }, noSuffix)).toEqual({ user: { externalId: '5', referenceId: '5', email: null, disabled: false, deleted: false, displayName: 'bob' }, source: 'none' });
    expect(mapOneLoginUser({ id: null as unknown as number }, noSuffix)).toBeNull();
    expect(oneLoginId(1.5)).toBeNull();
    expect(oneLoginId(' 42 ')).toBe('42');
  });

  it('maps a role with its assigned users, duplicates dropped', () => {
    expect(mapOneLoginRole({ id: 310001, name: ' Sales ' }, [{ id: 1 }, { id: 2, assigned: false }, { id: 1 }, { id: 3, assigned: true }])).toEqual({ externalId: '310001', referenceId: '310001', name: 'Sales', userMemberExternalIds: ['1', '3'], groupMemberReferenceIds: [] });
    expect(mapOneLoginRole({ id: 9, name: '' }, []).name).toBe('9');
  });

  it('describes status codes', () => {
    expect(describeStatus(2)).toBe('Suspended (2)');
    expect(describeStatus(6)).toBe('status 6');
    expect(describeStatus(undefined)).toBe('no status');
  });
});

describe('OneLogin configuration and filters', () => {
  it('derives the base from the region; baseUrl overrides it', () => {
    expect(oneLoginBase({ region: 'us', baseUrl: null })).toBe('https://api.us.onelogin.com');
    expect(oneLoginBase({ region: 'EU', baseUrl: null })).toBe('https://api.eu.onelogin.com');
    expect(oneLoginBase({ region: 'us', baseUrl: 'https://acme.onelogin.com//' })).toBe('https://acme.onelogin.com');
  });

  it('parses set clauses and the native query as parameters; refuses paging parameters and fields', () => {
    expect(parseOneLoginFilter('exclude:A@x.com|email=*@example.com&directory_id=7', 'sync.userFilter')).toEqual({
      set: { mode: 'exclude', values: new Set(['a@x.com']) },
      query: { text: 'email=*@example.com&directory_id=7', params: [['email', '*@example.com'], ['directory_id', '7']] },
    });
    expect(parseOneLoginFilter('|name=*-us', 'sync.groupFilter').query?.params).toEqual([['name', '*-us']]);
    for (const bad of ['|cursor=abc', '|limit=5', '|fields=id', '|email', 'include:a:b', 'only:x']) expect(checkOneLoginFilter(bad)).toEqual(expect.any(String));
    expect(checkOneLoginFilter('include:a@x.com')).toBeUndefined();
  });

  it('validates client id, secret, region, base URL and filters', () => {
    const keys = (config: Partial<typeof ONELOGIN_DEFAULTS>, secret = true, sync = {}) => validateOneLoginConfig({ ...ONELOGIN_DEFAULTS, ...config }, { ...DEFAULT_SYNC_CONFIG, ...sync }, secret).map((i) => i.key);
    expect(keys({ clientId: 'abc' })).toEqual([]);
    expect(keys({})).toEqual(['onelogin.clientId']);
    expect(keys({ clientId: 'abc' }, false)).toEqual(['onelogin.clientSecret']);
    expect(keys({ clientId: 'abc', region: 'ap' })).toEqual(['onelogin.region']);
    expect(keys({ clientId: 'abc', baseUrl: 'http://acme.onelogin.com' })).toEqual(['onelogin.baseUrl']);
    expect(keys({ clientId: 'abc', baseUrl: 'https://api.us.onelogin.com/api/2' })).toEqual(['onelogin.baseUrl']);
    expect(keys({ clientId: 'abc', baseUrl: 'http://127.0.0.1:8443' })).toEqual([]);
    expect(keys({ clientId: 'abc' }, true, { userFilter: '|limit=3', groupFilter: 'nope:x' })).toEqual(['sync.userFilter', 'sync.groupFilter']);
  });
});
