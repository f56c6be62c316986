import { describe, expect, it } from '@jest/globals';
import type { SettingInfo } from '../../shared/api-types.js';
import { changedSecrets, changedValues, fieldProblems, groupSettings, hasChanges, humanLabel, initialDraft, initialDrafts, toSettingValue } from './settings-form.model.js';

function setting(key: string, patch: Partial<SettingInfo> = {}): SettingInfo {
  return { key, section: 'sync', source: null, kind: 'string', description: '', value: null, defaultValue: null, isDefault: true, enumValues: null, min: null, max: null, secret: null, ...patch };
}

const port = setting('ldap.port', { section: 'source', source: 'ldap', kind: 'integer', value: 389, defaultValue: 389 });
const ssl = setting('ldap.ssl', { section: 'source', source: 'ldap', kind: 'boolean', value: null, defaultValue: false });
const root = setting('ldap.rootPath', { section: 'source', source: 'ldap', kind: 'dn', value: 'dc=example,dc=com' });
const password = setting('ldap.password', { section: 'source', source: 'ldap', kind: 'secret', secret: { set: true, source: 'keychain', detail: null } });
const all = [port, ssl, root, password];

describe('settings form model', () => {
  it('starts inputs from the stored value, else the default; secrets always empty', () => {
    expect(initialDrafts(all)).toEqual({ 'ldap.port': '389', 'ldap.ssl': false, 'ldap.rootPath': 'dc=example,dc=com', 'ldap.password': '' });
    expect(initialDraft(setting('sync.removeVanished', { kind: 'boolean', defaultValue: true }))).toBe(true);
  });

  it('sends only what changed, numbers as typed text for the server to parse, empty text as null', () => {
    const drafts = { ...initialDrafts(all), 'ldap.port': '636', 'ldap.ssl': true, 'ldap.rootPath': '  ' };
    expect(changedValues(all, drafts)).toEqual({ 'ldap.port': '636', 'ldap.ssl': true, 'ldap.rootPath': null });
    expect(changedValues(all, initialDrafts(all))).toEqual({});
  });

  it('never sends a secret with the values; a typed secret goes to setSecret, an empty one keeps the stored', () => {
    expect(changedSecrets(all, initialDrafts(all))).toEqual([]);
    expect(hasChanges(all, initialDrafts(all))).toBe(false);
    const drafts = { ...initialDrafts(all), 'ldap.password': 's3cret' };
    expect(changedSecrets(all, drafts)).toEqual([{ key: 'ldap.password', value: 's3cret' }]);
    expect(changedValues(all, drafts)).toEqual({});
    expect(hasChanges(all, drafts)).toBe(true);
  });

  it('turns text into a setting value', () => {
    expect(toSettingValue(ssl, 'true')).toBe(true);
    expect(toSettingValue(port, '')).toBeNull();
    expect(toSettingValue(port, '12x')).toBe('12x');
  });

  it('labels keys in words', () => {
    expect(humanLabel('ldap.rootPath')).toBe('Root path');
    expect(humanLabel('ldap.startTls')).toBe('Start TLS');
    expect(humanLabel('ldap.ad')).toBe('Active Directory');
    expect(humanLabel('server.api')).toBe('API');
    expect(humanLabel('sync.maxRemovalPercent')).toBe('Max removal percent');
  });

  it('ties server messages to fields: listed issues first, else keys named in the message (longest first)', () => {
    const keys = ['server', 'server.api', 'ldap.port'];
    expect(fieldProblems('x', { issues: [{ key: 'ldap.port', message: 'expected a port' }] }, keys)).toEqual({ 'ldap.port': 'expected a port' });
    expect(fieldProblems('Invalid value "x" for server.api: expected a URL.', undefined, keys)).toEqual({ 'server.api': 'Invalid value "x" for server.api: expected a URL.' });
    expect(fieldProblems('Something else failed.', { problems: [{ key: 'other', message: 'm' }] }, keys)).toEqual({});
  });

  it('groups settings in group order and puts the rest under "Other settings"', () => {
    const grouped = groupSettings(all, [{ id: 'conn', title: 'Connection', explanation: '', keys: ['ldap.ssl', 'ldap.port', 'ldap.missing'] }]);
    expect(grouped.map((g) => [g.group.title, g.settings.map((s) => s.key)])).toEqual([
      ['Connection', ['ldap.ssl', 'ldap.port']],
      ['Other settings', ['ldap.rootPath', 'ldap.password']],
    ]);
  });
});
