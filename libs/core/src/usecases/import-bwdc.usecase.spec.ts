import { describe, expect, it } from '@jest/globals';
import { bwdcApiUrl, bwdcSecretAccounts, parseBwdcData } from '../bwdc/bwdc-data.js';
import { DirconnError } from '../errors.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import { FakeProvider } from '../testing/fake-provider.js';
import { snapshot } from '../testing/builders.js';
import { MemoryFiles } from '../testing/memory-files.js';
import { MemoryWorkspace } from '../testing/memory-workspace.js';
import { testUseCaseDeps } from '../testing/use-case-deps.js';
import { importBwdc, type BwdcKeychain } from './import-bwdc.usecase.js';
import { stateScope } from './session.js';

const ORG = '3f0c7c0e-1b2a-4c3d-9e8f-0a1b2c3d4e5f';

function source(type: string, referenceType: number, fields: [string, string][], secretField: string | null, filterCheck?: (f: string) => string | undefined): ProviderDefinition {
  return {
    type,
    label: type,
    referenceType,
    fields: [
      ...fields.map(([name, kind]) => ({ key: `${type}.${name}`, kind, defaultValue: null, description: name })),
      ...(secretField ? [{ key: `${type}.${secretField}`, kind: 'secret', secret: true, defaultValue: null, description: 'secret' }] : []),
    ],
    defaults: {},
    secret: secretField
      ? { setting: `${type}.${secretField}`, account: `secret${type}`, variable: `DIRCONN_${type.toUpperCase()}_X`, fileVariable: null, fileContent: 'first-line', description: `${type} secret` }
      : null,
    identityFields: [],
    ...(filterCheck ? { filter: { check: filterCheck, example: '(cn=x)', description: 'filter' } } : {}),
    validate: () => [],
    create: () => new FakeProvider(snapshot()),
  } as unknown as ProviderDefinition;
}

const ldap = source('ldap', 0, [['hostname', 'string'], ['port', 'integer'], ['ad', 'boolean'], ['rootPath', 'dn'], ['username', 'string'], ['sslCaPath', 'path']], 'password', (f) => (f.startsWith('(') ? undefined : 'expected (…)'));
const okta = source('okta', 3, [['orgUrl', 'url']], 'token');
const registry = [ldap, okta];

const flatV8 = {
  stateVersion: 8,
  directoryType: 0,
  organizationId: ORG,
  directoryLdap: { id: 'cfg-ldap', hostname: 'dc1.example.com', port: 389, ad: false, rootPath: 'dc=example,dc=com', username: 'cn=admin,dc=example,dc=com', password: '[STORED SECURELY]', currentUser: false, sslCaPath: '/missing/ca.pem' },
  directoryOkta: { id: 'cfg-okta', orgUrl: 'https://example.okta.com', token: '[STORED SECURELY]' },
  directoryOnelogin: { id: 'cfg-ol', clientId: 'abc', clientSecret: '[STORED SECURELY]', region: 'us' },
  sync: { users: true, groups: true, interval: 5, userFilter: '(mail=*)', groupFilter: null, removeDisabled: false, inviteUsersAfterProvisioning: true, creationDateAttribute: 'whenCreated' },
  lastSyncHash: 'HASH=',
  lastUserSync: '2026-08-01T10:00:00.000Z',
  lastGroupSync: '2026-08-01T10:00:00.000Z',
  environmentUrls: { base: 'https://vault.example.com', api: null, identity: null, webVault: null },
};

class Keychain implements BwdcKeychain {
  readonly asked: string[] = [];
  constructor(private readonly entries: Record<string, string>) {}
  get(account: string): Promise<string | null> {
    this.asked.push(account);
    return Promise.resolve(this.entries[account] ?? null);
  }
}

function depsWith(text: string, workspace = new MemoryWorkspace()) {
  return testUseCaseDeps({ definitions: registry, workspace, files: new MemoryFiles({ '/bwdc/data.json': text }) });
}

describe('import-bwdc (issue #13 item 6)', () => {
  it('maps the v8 flat layout: directory, settings, sync options, server, secrets from the keychain, login, hash and times', async () => {
    const text = JSON.stringify(flatV8);
    const keychain = new Keychain({ 'secretLdap:cfg-ldap': JSON.stringify('bind-pw'), apiKeyClientId: JSON.stringify(`organization.${ORG}`), apiKeyClientSecret: JSON.stringify('api-secret') });
    const deps = depsWith(text);
    const result = await importBwdc(deps, { path: '/bwdc/data.json', keychain });

    const config = deps.workspace.config;
    expect(config.directory).toBe('ldap');
    expect(config.directories['ldap']).toEqual({ id: 'cfg-ldap', hostname: 'dc1.example.com', port: 389, ad: false, rootPath: 'dc=example,dc=com', username: 'cn=admin,dc=example,dc=com' });
    expect(config.directories['okta']).toEqual({ id: 'cfg-okta', orgUrl: 'https://example.okta.com' });
    expect(config.server.base).toBe('https://vault.example.com');
    expect(config.sync).toMatchObject({ users: true, groups: true, userFilter: '(mail=*)', inviteUsersAfterProvisioning: true });
    expect(await deps.secrets.get('secretldap:cfg-ldap')).toBe('bind-pw');
    expect(await deps.secrets.get('apiKeyClientSecret')).toBe('api-secret');
    expect(deps.workspace.clientId).toBe(`organization.${ORG}`);

    const scope = stateScope('https://vault.example.com/api', ORG);
    expect(deps.workspace.getState(scope)).toMatchObject({ lastSyncHash: 'HASH=', lastUserSync: '2026-08-01T10:00:00.000Z', lastGroupSync: '2026-08-01T10:00:00.000Z', syncedUsers: null });
    expect(result.secrets).toEqual([
      { setting: 'ldap.password', from: 'bwdc keychain entry secretLdap:cfg-ldap', note: expect.stringContaining('stored in') },
      { setting: 'okta.token', from: null, note: expect.stringContaining('dirconn config okta.token --secretfile') },
    ]);
    const notImported = new Map(result.notImported.map((s) => [s.setting, s.reason]));
    expect(notImported.get('directoryOnelogin')).toMatch(/not available in this version/);
    expect(notImported.get('ldap.currentUser')).toMatch(/unused/);
    expect(notImported.get('ldap.sslCaPath')).toMatch(/cannot be read/);
    expect(notImported.get('sync.creationDateAttribute')).toBeDefined();
    expect(result.warnings).toEqual([]);
  });

  it('--dry-run saves nothing; an existing configuration is replaced only with force', async () => {
    const text = JSON.stringify(flatV8);
    const deps = depsWith(text);
    const dry = await importBwdc(deps, { path: '/bwdc/data.json', keychain: null, dryRun: true });
    expect(dry.saved).toBe(false);
    expect(deps.workspace.writes).toEqual([]);

    const configured = depsWith(text, new MemoryWorkspace({ config: { directory: 'okta' } }));
    await expect(importBwdc(configured, { path: '/bwdc/data.json', keychain: null })).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('already configured') });
    await importBwdc(configured, { path: '/bwdc/data.json', keychain: null, force: true });
    expect(configured.workspace.config.directory).toBe('ldap');
  });

  it('reads the old account layout (state version 3/4) and its keychain names', async () => {
    const account = ORG;
    const old = {
      global: { stateVersion: 4, environmentUrls: { base: null, api: 'https://api.example.com', identity: 'https://id.example.com' } },
      authenticatedAccounts: [account],
      activeUserId: account,
      [account]: {
        profile: { userId: account, entityId: account, apiKeyClientId: `organization.${ORG}` },
        directoryConfigurations: { ldap: null, azure: null, okta: { orgUrl: 'https://old.okta.com', token: '[STORED SECURELY]' } },
        directorySettings: { organizationId: ORG, directoryType: 3, sync: { users: true }, lastSyncHash: 'OLD=', lastUserSync: '2024-01-02T03:04:05.000Z' },
      },
    };
    const keychain = new Keychain({ [`${account}_oktaToken`]: JSON.stringify('okta-token') });
    const deps = depsWith(JSON.stringify(old));
    const result = await importBwdc(deps, { path: '/bwdc/data.json', keychain });
    expect(result.layout).toBe('account');
    expect(deps.workspace.config.directory).toBe('okta');
    expect(deps.workspace.config.server).toMatchObject({ api: 'https://api.example.com', identity: 'https://id.example.com' });
    const id = deps.workspace.config.directories['okta']?.id as string;
    expect(await deps.secrets.get(`secretokta:${id}`)).toBe('okta-token');
    expect(deps.workspace.getState(stateScope('https://api.example.com', ORG))?.lastSyncHash).toBe('OLD=');
    expect(result.login.clientId).toBe(`organization.${ORG}`);
  });

  it('refuses the whole import when a filter bwdc silently ignored fails dirconn\'s check', async () => {
    const deps = depsWith(JSON.stringify({ ...flatV8, sync: { ...flatV8.sync, userFilter: 'mail=*' } }));
    const error = await importBwdc(deps, { path: '/bwdc/data.json', keychain: null }).catch((e: unknown) => e);
    expect(DirconnError.is(error) && error.code).toBe('config.invalid');
    expect((error as Error).message).toContain('sync.userFilter');
    expect(deps.workspace.writes).toEqual([]);
  });

  it('takes plaintext-mode secrets from the file, and reports an unreadable keychain once', async () => {
    const plain = { ...flatV8, directoryLdap: { ...flatV8.directoryLdap, password: 'plain-pw' } };
    const failing: BwdcKeychain = { get: () => Promise.reject(new DirconnError('secrets.unavailable', 'No OS keychain is reachable.')) };
    const deps = depsWith(JSON.stringify(plain));
    const result = await importBwdc(deps, { path: '/bwdc/data.json', keychain: failing });
    expect(result.secrets[0]).toMatchObject({ setting: 'ldap.password', from: 'bwdc data.json (plaintext mode)' });
    expect(result.secrets[1]).toMatchObject({ setting: 'okta.token', from: null, note: expect.stringContaining('No OS keychain') });
    expect(result.warnings.map((w) => w.code)).toEqual(['bwdc.keychain-unreadable']);
  });

  it('parses what is not a bwdc file, or one too old, as config.invalid', () => {
    expect(() => parseBwdcData('nope')).toThrow(/not valid JSON/);
    expect(() => parseBwdcData('{"stateVersion": 2, "directoryType": 0}')).toThrow(/below 3/);
    expect(() => parseBwdcData('{"foo": 1}')).toThrow(/no bwdc configuration/);
  });

  it('names the API URL bwdc hashed with and the keychain accounts it may use', () => {
    expect(bwdcApiUrl(null)).toBe('https://api.bitwarden.com');
    expect(bwdcApiUrl({ base: 'https://v.example.com/', api: null, identity: null, webVault: null })).toBe('https://v.example.com/api');
    expect(bwdcSecretAccounts(1, 'id1', null)).toEqual(['secretEntra:id1', 'secretAzure:id1', 'secretEntra', 'secretAzure', 'secret_entra', 'secret_azure']);
  });
});
