import { describe, expect, it } from '@jest/globals';
import { findConfigKey, suggestKeys } from '../config/config-keys.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import { Secret } from '../secret.js';
import { FakeProvider } from '../testing/fake-provider.js';
import { snapshot } from '../testing/builders.js';
import { MemoryFiles } from '../testing/memory-files.js';
import { MemorySecretStore } from '../testing/memory-secret-store.js';
import { testUseCaseDeps } from '../testing/use-case-deps.js';
import { getSetting, listSettings } from './config-view.usecase.js';
import { setSecret, setSetting } from './config-set.usecase.js';

/** A source with a DN setting checked by verifyLocations (`ou=Missing` does not exist). */
const dirsrc = {
  type: 'dirsrc',
  label: 'DN source',
  fields: [
    { key: 'dirsrc.host', kind: 'string', defaultValue: null, description: 'Host.', aliases: ['old.host'] },
    { key: 'dirsrc.base', kind: 'dn', defaultValue: null, description: 'Base DN.' },
    { key: 'dirsrc.caFile', kind: 'path', defaultValue: null, description: 'CA.' },
    { key: 'dirsrc.password', kind: 'secret', secret: true, defaultValue: null, description: 'Password.' },
    { key: 'dirsrc.bundle', kind: 'string', defaultValue: null, description: 'Host and password in one.' },
  ],
  defaults: { host: null, base: null, caFile: null },
  secret: { setting: 'dirsrc.password', account: 'secretDirsrc', variable: 'DIRCONN_DIRSRC_PASSWORD', fileVariable: 'DIRCONN_DIRSRC_PASSWORD_FILE', fileContent: 'first-line', description: 'bind password' },
  identityFields: ['host'],
  expandSetting: (key: string, value: unknown) =>
    key === 'dirsrc.bundle' ? { settings: { 'dirsrc.bundle': value, 'dirsrc.host': `${String(value)}.example.com` }, secret: new Secret('from-bundle') } : undefined,
  validate: (config: Record<string, unknown>) => (config['host'] === null ? [{ key: 'dirsrc.host', message: 'not set' }] : []),
  create: (deps: { config: Record<string, unknown> }) =>
    Object.assign(new FakeProvider(snapshot()), {
      verifyLocations: async () => (deps.config['base'] === 'ou=Missing' ? [{ key: 'dirsrc.base', message: 'ou=Missing does not exist' }] : []),
    }),
} as unknown as ProviderDefinition;

const registry = [dirsrc];

describe('the key table', () => {
  it('finds keys by name or alias, case-insensitively, and suggests close ones', () => {
    expect(findConfigKey(registry, 'DIRSRC.HOST')?.field.key).toBe('dirsrc.host');
    expect(findConfigKey(registry, 'old.host')?.field.key).toBe('dirsrc.host');
    expect(findConfigKey(registry, 'nothing.here')).toBeUndefined();
    expect(suggestKeys(registry, 'dirsrc.hots')).toContain('dirsrc.host');
  });
});

describe('setSetting', () => {
  it('refuses bad values and saves nothing', async () => {
    const deps = testUseCaseDeps({ definitions: registry });
    await expect(setSetting(deps, { key: 'sync.users', value: 'maybe' })).rejects.toMatchObject({ code: 'config.invalid' });
    await expect(setSetting(deps, { key: 'server', value: 'ht!tp://x' })).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('Invalid value "ht!tp://x" for server') });
    await expect(setSetting(deps, { key: 'sync.userPath', value: 'not a dn' })).rejects.toMatchObject({ code: 'config.invalid' });
    await expect(setSetting(deps, { key: 'dirsrc.caFile', value: '/missing/ca.pem' })).rejects.toMatchObject({ message: expect.stringContaining('cannot be read (ENOENT)') });
    await expect(setSetting(deps, { key: 'sync.usres', value: 'true' })).rejects.toMatchObject({ code: 'usage', hint: expect.stringContaining('sync.users') });
    await expect(setSetting(deps, { key: 'dirsrc.password', value: 'hunter2' })).rejects.toMatchObject({ code: 'usage' });
    expect(deps.workspace.writes).toEqual([]);
  });

  it('accepts the cloud shortcut, a readable file, and clears with null', async () => {
    const deps = testUseCaseDeps({ definitions: registry, files: new MemoryFiles({ '/etc/ca.pem': 'PEM' }) });
    expect((await setSetting(deps, { key: 'server', value: 'EU' })).value).toBe('eu');
    expect((await setSetting(deps, { key: 'dirsrc.caFile', value: '/etc/ca.pem' })).value).toBe('/etc/ca.pem');
    expect((await setSetting(deps, { key: 'dirsrc.caFile', value: 'null' })).value).toBeNull();
    expect(deps.workspace.config.directories['dirsrc']).toMatchObject({ id: 'id-1', caFile: null });
  });

  it('refuses overwriteExisting together with largeImport, whichever comes second', async () => {
    const deps = testUseCaseDeps({ definitions: registry });
    await setSetting(deps, { key: 'sync.largeImport', value: 'true' });
    await expect(setSetting(deps, { key: 'sync.overwriteExisting', value: 'true' })).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('large imports') });
    expect(deps.workspace.config.sync.overwriteExisting).toBe(false);
  });

  it('checks a DN against the directory: a missing one is refused, an incomplete setup only warns', async () => {
    const deps = testUseCaseDeps({ definitions: registry });
    await setSetting(deps, { key: 'directory', value: 'dirsrc' });
    const early = await setSetting(deps, { key: 'dirsrc.base', value: 'ou=Missing' });
    expect(early.warnings).toEqual([expect.objectContaining({ code: 'config.not-verified', message: expect.stringContaining('(dirsrc.host)') })]);
    await setSetting(deps, { key: 'dirsrc.base', value: 'null' });
    await setSetting(deps, { key: 'dirsrc.host', value: 'dc1' });
    await expect(setSetting(deps, { key: 'dirsrc.base', value: 'ou=Missing' })).rejects.toMatchObject({ code: 'config.invalid', message: 'Invalid value for dirsrc.base: ou=Missing does not exist' });
    expect((await setSetting(deps, { key: 'dirsrc.base', value: 'ou=Missing', verify: false })).warnings).toEqual([]);
    expect((await setSetting(deps, { key: 'dirsrc.base', value: 'ou=Here' })).warnings).toEqual([]);
  });
});

describe('a setting that expands into others', () => {
  it('stores the other settings and the secret it brings', async () => {
    const deps = testUseCaseDeps({ definitions: registry });
    await setSetting(deps, { key: 'dirsrc.bundle', value: 'dc9' });
    expect(deps.workspace.config.directories['dirsrc']).toMatchObject({ bundle: 'dc9', host: 'dc9.example.com' });
    const id = deps.workspace.config.directories['dirsrc']?.id;
    expect(await deps.secrets.get(`secretDirsrc:${String(id)}`)).toBe('from-bundle');
  });
});

describe('listing and reading settings', () => {
  it('shows values with their source, and secrets only as set or not with their origin', async () => {
    const secrets = new MemorySecretStore();
    const deps = testUseCaseDeps({ definitions: registry, secrets });
    await setSetting(deps, { key: 'directory', value: 'dirsrc' });
    await setSetting(deps, { key: 'sync.maxRemovals', value: '9' });
    const before = await listSettings(deps);
    const row = (key: string) => before.settings.find((s) => s.key === key);
    expect(row('sync.maxRemovals')).toMatchObject({ value: 9, defaultValue: 5, source: 'stored' });
    expect(row('sync.maxRemovalPercent')).toMatchObject({ value: 5, source: 'default' });
    expect(row('dirsrc.password')).toMatchObject({ value: null, secret: { set: false, origin: null } });
    await setSecret(deps, { key: 'dirsrc.password', secret: 's3cret' });
    const override = { kind: 'variable' as const, name: 'DIRCONN_DIRSRC_PASSWORD' };
    secrets.setOverride(`secretDirsrc:${deps.workspace.config.directories['dirsrc']?.id}`, override);
    const shown = await getSetting(deps, 'dirsrc.password');
    expect(shown.secret).toEqual({ set: true, origin: override });
    expect(JSON.stringify(await listSettings(deps))).not.toContain('s3cret');
  });
});
