import { describe, expect, it } from '@jest/globals';
import { planInput, snapshot, syncState, user } from '../testing/index.js';
import { stateScope } from '../usecases/session.js';
import { plan } from './plan.js';
import type { SafetyRule, SyncPlan } from './plan.types.js';
import { describeSourceChange, sourceChangeCheck, sourceOf } from './source-change.js';

function check(result: SyncPlan, rule: SafetyRule) {
  const found = result.safety.checks.find((c) => c.rule === rule);
  if (found === undefined) throw new Error(`no ${rule} check`);
  return found;
}

const names = (count: number, prefix = 'u') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const synced = (ids: readonly string[]) => ids.map((externalId) => ({ externalId, email: `${externalId}@example.com` }));
const LDAP_A = sourceOf('ldap', { rootPath: 'dc=example,dc=com', hostname: '127.0.0.1' }, ['rootPath']);

describe('the sync state belongs to the organization (issue #9 item 2)', () => {
  it('is scoped by server and organization only: no directory type or config id in the key', () => {
    expect(stateScope('https://api.bitwarden.com', 'org-1')).toBe('org-1@https://api.bitwarden.com');
    expect(stateScope('https://api.bitwarden.eu', 'org-1')).not.toBe(stateScope('https://api.bitwarden.com', 'org-1'));
    expect(stateScope('https://api.bitwarden.com', null)).toBe('no-organization@https://api.bitwarden.com');
  });

  it('still finds the vanished people after a setting change (same source, another server name)', async () => {
    const previous = syncState({ syncedUsers: synced(names(23)), lastCounts: { users: 23, groups: 0 }, source: LDAP_A });
    const source = sourceOf('ldap', { rootPath: 'DC=Example, DC=com', hostname: 'localhost' }, ['rootPath']);
    const result = await plan(planInput({ snapshot: snapshot({ users: names(15).map((name) => user({ name })), groups: null }), previous, source }));
    expect(result.summary.removals).toBe(8);
    expect(check(result, 'source-changed')).toMatchObject({ passed: true, message: 'Same source as the last sync.' });
    expect(check(result, 'max-removals').passed).toBe(false);
    expect(result.nextState.source).toEqual(LDAP_A);
  });
});

describe('sourceOf / describeSourceChange', () => {
  it('normalises the source fields and ignores the others', () => {
    expect(LDAP_A).toEqual({ type: 'ldap', identity: 'rootPath dc=example,dc=com' });
    expect(sourceOf('ldap', { rootPath: ' DC=Example , DC=com ' }, ['rootPath'])).toEqual(LDAP_A);
    expect(sourceOf('sample', { file: null }, ['file'])).toEqual({ type: 'sample', identity: 'file (not set)' });
    expect(sourceOf('entra', { tenant: 'x' }, undefined)).toEqual({ type: 'entra', identity: null });
  });

  it('names a change of type or identity; an unknown identity is no change', () => {
    expect(describeSourceChange(LDAP_A, { type: 'sample', identity: null })).toBe('the directory type changed from ldap to sample');
    expect(describeSourceChange(LDAP_A, { type: 'ldap', identity: 'rootPath dc=other,dc=com' })).toBe(
      'the ldap source changed from rootPath dc=example,dc=com to rootPath dc=other,dc=com',
    );
    expect(describeSourceChange({ type: 'ldap', identity: null }, LDAP_A)).toBeNull();
    expect(describeSourceChange(LDAP_A, LDAP_A)).toBeNull();
  });
});

describe('source-changed check', () => {
  const previous = syncState({ syncedUsers: synced(['a', 'b', 'c']), source: LDAP_A });
  const other = { type: 'ldap', identity: 'rootPath dc=other,dc=com' };

  it('stops a run after a change of root that would remove the people previously synced, naming them', async () => {
    const input = planInput({ snapshot: snapshot({ users: [user({ name: 'a' }), user({ name: 'x' })], groups: null }), previous, source: other });
    const result = await plan(input);
    expect(check(result, 'source-changed')).toMatchObject({ passed: false, override: '--allow-source-change', allow: { option: 'allowSourceChange' } });
    expect(check(result, 'source-changed').message).toContain(
      'The source changed (the ldap source changed from rootPath dc=example,dc=com to rootPath dc=other,dc=com): 2 people previously synced are not in the new read and would be removed: b@example.com, c@example.com.',
    );
    expect(result.safety.ok).toBe(false);
    const allowed = await plan({ ...input, overrides: { allowSourceChange: true } });
    expect(check(allowed, 'source-changed').passed).toBe(true);
    expect(allowed.summary.removals).toBe(2);
    expect(allowed.safety.ok).toBe(true);
    expect(allowed.nextState.source).toEqual(other);
  });

  it('stops a change of directory type', () => {
    const result = sourceChangeCheck({ snapshot: snapshot({ users: [user({ name: 'z' })] }), previous, source: { type: 'sample', identity: 'file x' }, allowSourceChange: false });
    expect(result).toMatchObject({ passed: false });
    expect(result.message).toContain('the directory type changed from ldap to sample): 3 people previously synced');
  });

  it('passes when everyone is still there, without a full user read, or with nothing known of the last source', () => {
    const everyone = snapshot({ users: ['a', 'b', 'c'].map((name) => user({ name })) });
    expect(sourceChangeCheck({ snapshot: everyone, previous, source: other, allowSourceChange: false }).passed).toBe(true);
    expect(sourceChangeCheck({ snapshot: snapshot({ users: [], mode: 'delta' }), previous, source: other, allowSourceChange: false }).passed).toBe(true);
    expect(sourceChangeCheck({ snapshot: snapshot({ users: [] }), previous: syncState({ syncedUsers: synced(['a']) }), source: other, allowSourceChange: false }).passed).toBe(true);
    expect(sourceChangeCheck({ snapshot: snapshot({ users: [] }), previous, source: undefined, allowSourceChange: false }).passed).toBe(true);
  });
});
