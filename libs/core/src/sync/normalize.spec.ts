import { describe, expect, it } from '@jest/globals';
import { group, user } from '../testing/index.js';
import { checkGroups, emailProblem, formatList, isValidEmailAddress, normalizeEmail, normalizeUsers } from './normalize.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases; blank is missing', () => {
    expect(normalizeEmail('  Alice@Example.COM ')).toBe('alice@example.com');
    expect(normalizeEmail('   ')).toBeNull();
    expect(normalizeEmail('')).toBeNull();
    expect(normalizeEmail(null)).toBeNull();
  });
});

describe('isValidEmailAddress (server [EmailAddress] rule)', () => {
  it.each([
    ['a@b', true],
    ['first.last+tag@sub.example.com', true],
    ['weird but ok@x', true],
    ['a@b@c', false],
    ['@example.com', false],
    ['alice@', false],
    ['alice', false],
    ['al\nice@example.com', false],
    ['alice@exa\rmple.com', false],
  ])('%j → %s', (email, valid) => {
    expect(isValidEmailAddress(email)).toBe(valid);
  });

  it('flags missing, too long (> 256 UTF-16 units) and invalid', () => {
    expect(emailProblem(null)).toBe('missing');
    expect(emailProblem(`${'a'.repeat(244)}@example.com`)).toBeNull(); // exactly 256
    expect(emailProblem(`${'a'.repeat(245)}@example.com`)).toBe('too-long');
    expect(emailProblem('no-at-sign')).toBe('invalid');
  });
});

describe('normalizeUsers', () => {
  it('keeps valid users in order with normalised emails', () => {
    const result = normalizeUsers([user({ name: 'b', email: ' B@Example.com' }), user({ name: 'a' })]);
    expect(result.users.map((u) => [u.externalId, u.email, u.emailSource])).toEqual([
      ['b', 'b@example.com', 'directory'],
      ['a', 'a@example.com', 'directory'],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('excludes users without a usable email and names them in warnings', () => {
    const result = normalizeUsers([
      user({ name: 'noemail', email: null, displayName: 'No Email' }),
      user({ name: 'long', email: `${'x'.repeat(300)}@example.com` }),
      user({ name: 'bad', email: 'two@@example.com' }),
      user({ name: 'blankid', externalId: '  ' }),
      user({ name: 'ok' }),
    ]);
    expect(result.users.map((u) => u.externalId)).toEqual(['ok']);
    expect(result.excluded.map((e) => e.reason)).toEqual(['no-email', 'email-too-long', 'email-invalid', 'external-id-invalid']);
    const byCode = Object.fromEntries(result.warnings.map((w) => [w.code, w.message]));
    expect(byCode['user-no-email']).toContain('No Email (uid=noemail,ou=people,dc=example,dc=com)');
    expect(byCode['user-email-too-long']).toContain('uid=long');
    expect(byCode['user-email-invalid']).toContain('"two@@example.com"');
    expect(byCode['user-external-id-invalid']).toContain('uid=blankid');
  });

  it('never silently drops a deleted user: recovers the email from the previous sync', () => {
    const result = normalizeUsers([user({ name: 'gone', email: null, deleted: true })], {
      previousUsers: [{ externalId: 'gone', email: 'gone@example.com' }],
    });
    expect(result.users).toHaveLength(1);
    expect(result.users[0]).toMatchObject({ externalId: 'gone', email: 'gone@example.com', deleted: true, emailSource: 'previous-sync' });
    expect(result.recovered).toHaveLength(1);
    expect(result.warnings.map((w) => w.code)).toEqual(['deleted-user-email-recovered']);
  });

  it('warns by name when a deleted user cannot be removed (no email, never synced)', () => {
    const result = normalizeUsers([user({ name: 'ghost', email: null, deleted: true })], { previousUsers: [] });
    expect(result.users).toEqual([]);
    expect(result.excluded[0]).toMatchObject({ reason: 'no-email', removalLost: true });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]!.code).toBe('deleted-user-not-removable');
    expect(result.warnings[0]!.message).toContain('uid=ghost');
  });

  it('treats disabled users as deletions only when removeDisabled is on', () => {
    const disabled = user({ name: 'off', email: 'broken', disabled: true });
    const previousUsers = [{ externalId: 'off', email: 'off@example.com' }];
    expect(normalizeUsers([disabled], { previousUsers }).users).toEqual([]);
    expect(normalizeUsers([disabled], { previousUsers, removeDisabled: true }).users[0]?.email).toBe('off@example.com');
  });

  it('recovers a deleted user whose directory email is invalid', () => {
    const result = normalizeUsers([user({ name: 'd', email: 'd@', deleted: true })], { previousUsers: [{ externalId: 'd', email: 'D@Example.com' }] });
    expect(result.users[0]?.email).toBe('d@example.com');
  });
});

describe('checkGroups', () => {
  it('excludes groups the server rejects and names them', () => {
    const result = checkGroups([group({ name: 'ok' }), group({ name: 'x'.repeat(101) }), group({ name: 'blank', externalId: '' })]);
    expect(result.excluded.map((e) => [e.index, e.reason])).toEqual([
      [1, 'name-invalid'],
      [2, 'external-id-invalid'],
    ]);
    expect(result.warnings.map((w) => w.code)).toEqual(['group-name-invalid', 'group-external-id-invalid']);
  });
});

describe('formatList', () => {
  it('names up to max items then counts the rest', () => {
    expect(formatList(['a', 'b'], 3)).toBe('a, b');
    expect(formatList(['a', 'b', 'c', 'd', 'e'], 3)).toBe('a, b, c and 2 more');
  });
});
