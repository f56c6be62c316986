import { describe, expect, it } from '@jest/globals';
import { allConfigKeys } from '../config/config-keys.js';
import { parseEnvironmentSettings, settingVariable, unknownSettingVariables } from '../config/env-settings.js';
import { secretBindings } from '../config/secret-bindings.js';
import { DirconnError } from '../errors.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import { FakeProvider } from '../testing/fake-provider.js';
import { snapshot } from '../testing/builders.js';
import { MemoryFiles } from '../testing/memory-files.js';
import { emptyConfig, MemoryWorkspace } from '../testing/memory-workspace.js';
import { testUseCaseDeps } from '../testing/use-case-deps.js';
import { listSettings } from './config-view.usecase.js';
import { setSetting } from './config-set.usecase.js';
import { resolveEnvironmentSettings } from './environment-settings.js';

const dirsrc = {
  type: 'dirsrc',
  label: 'DN source',
  fields: [
    { key: 'dirsrc.hostName', kind: 'string', defaultValue: null, description: 'Host.' },
    { key: 'dirsrc.port', kind: 'integer', min: 1, max: 65535, defaultValue: 389, description: 'Port.' },
    { key: 'dirsrc.rootPath', kind: 'dn', defaultValue: null, description: 'Base DN.' },
    { key: 'dirsrc.sslCaPath', kind: 'path', defaultValue: null, description: 'CA.' },
    { key: 'dirsrc.password', kind: 'secret', secret: true, defaultValue: null, description: 'Password.' },
  ],
  defaults: { hostName: null, port: 389, rootPath: null, sslCaPath: null },
  secret: { setting: 'dirsrc.password', account: 'secretDirsrc', variable: 'DIRCONN_DIRSRC_PASSWORD', fileVariable: 'DIRCONN_DIRSRC_PASSWORD_FILE', fileContent: 'first-line', description: 'bind password' },
  identityFields: ['hostName'],
  filter: { check: (f: string) => (f.startsWith('(') ? undefined : 'expected an LDAP filter in parentheses'), example: '(cn=x)', description: 'LDAP filter' },
  validate: () => [],
  create: () => new FakeProvider(snapshot()),
} as unknown as ProviderDefinition;
const registry = [dirsrc];

async function resolve(env: Record<string, string>, files = new MemoryFiles()) {
  return resolveEnvironmentSettings({ definitions: registry, files, env, stored: emptyConfig() });
}

async function failure(promise: Promise<unknown>): Promise<DirconnError> {
  try {
    await promise;
  } catch (error) {
    if (DirconnError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a DirconnError');
}

describe('settings from the environment (issue #13 item 3)', () => {
  it('names each setting DIRCONN_<SECTION>_<FIELD> in upper snake case, with no two keys on one variable', () => {
    expect(settingVariable('ldap.hostname')).toBe('DIRCONN_LDAP_HOSTNAME');
    expect(settingVariable('sync.userFilter')).toBe('DIRCONN_SYNC_USER_FILTER');
    expect(settingVariable('ldap.sslCaPath')).toBe('DIRCONN_LDAP_SSL_CA_PATH');
    expect(settingVariable('directory')).toBe('DIRCONN_DIRECTORY');
    expect(settingVariable('server')).toBe('DIRCONN_SERVER');
    const variables = allConfigKeys(registry).map((k) => settingVariable(k.field.key));
    expect(new Set(variables).size).toBe(variables.length);
  });

  it('a secret setting\'s variable is its secret binding\'s (the existing DIRCONN_*_PASSWORD convention)', () => {
    const binding = secretBindings(registry).find((b) => b.setting === 'dirsrc.password');
    expect(binding?.variable).toBe(settingVariable('dirsrc.password'));
    // …and it is not read as a plain setting.
    expect(parseEnvironmentSettings(registry, { DIRCONN_DIRSRC_PASSWORD: 'x' })).toEqual([]);
  });

  it('parses values with the setting\'s own parser; empty variables count as unset', async () => {
    const settings = await resolve({ DIRCONN_DIRECTORY: 'dirsrc', DIRCONN_DIRSRC_PORT: '636', DIRCONN_SYNC_USERS: 'yes', DIRCONN_SERVER: 'vault.example.com/', DIRCONN_DIRSRC_HOST_NAME: '' });
    expect(Object.fromEntries(settings.map((s) => [s.variable, s.value]))).toEqual({
      DIRCONN_SERVER: 'https://vault.example.com',
      DIRCONN_DIRECTORY: 'dirsrc',
      DIRCONN_SYNC_USERS: true,
      DIRCONN_DIRSRC_PORT: 636,
    });
  });

  it.each([
    [{ DIRCONN_DIRSRC_PORT: 'abc' }, 'DIRCONN_DIRSRC_PORT', /whole number/],
    [{ DIRCONN_DIRECTORY: 'nope' }, 'DIRCONN_DIRECTORY', /one of dirsrc/],
    [{ DIRCONN_SERVER: 'ftp://x' }, 'DIRCONN_SERVER', /http/],
    [{ DIRCONN_DIRECTORY: 'dirsrc', DIRCONN_SYNC_USER_FILTER: 'cn=x' }, 'DIRCONN_SYNC_USER_FILTER', /parentheses/],
    [{ DIRCONN_DIRSRC_ROOT_PATH: 'not a dn' }, 'DIRCONN_DIRSRC_ROOT_PATH', /DN/],
    [{ DIRCONN_DIRSRC_SSL_CA_PATH: '/missing.pem' }, 'DIRCONN_DIRSRC_SSL_CA_PATH', /ENOENT/],
    [{ DIRCONN_SYNC_OVERWRITE_EXISTING: 'true', DIRCONN_SYNC_LARGE_IMPORT: 'true' }, 'DIRCONN_SYNC_OVERWRITE_EXISTING', /large imports/],
  ])('refuses %j with config.invalid naming %s', async (env, variable, reason) => {
    const error = await failure(resolve(env));
    expect(error.code).toBe('config.invalid');
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(reason);
  });

  it('accepts a readable path', async () => {
    const settings = await resolve({ DIRCONN_DIRSRC_SSL_CA_PATH: '/ca.pem' }, new MemoryFiles({ '/ca.pem': 'PEM' }));
    expect(settings.map((s) => s.value)).toEqual(['/ca.pem']);
  });

  it('lists DIRCONN_* variables of a known section that are no setting (typos), not other dirconn variables', () => {
    expect(unknownSettingVariables(registry, { DIRCONN_DIRSRC_HOSTNAME: 'x', DIRCONN_SYNC_USER: 'true', DIRCONN_DATA_DIR: '/d', DIRCONN_DIRSRC_PASSWORD_FILE: '/p', DIRCONN_DIRSRC_HOST_NAME: 'h' })).toEqual([
      'DIRCONN_DIRSRC_HOSTNAME',
      'DIRCONN_SYNC_USER',
    ]);
  });

  it('shows environment values as such, and never writes them to the data file', async () => {
    const environment = await resolve({ DIRCONN_DIRECTORY: 'dirsrc', DIRCONN_DIRSRC_HOST_NAME: 'env.example.com', DIRCONN_SYNC_USERS: 'true' });
    const stored = { ...emptyConfig(), directories: { dirsrc: { id: 'cfg-1', hostName: 'file.example.com', port: 1389 } } };
    const workspace = new MemoryWorkspace({ config: stored, environment });
    const deps = testUseCaseDeps({ definitions: registry, workspace });

    const list = await listSettings(deps);
    const byKey = new Map(list.settings.map((s) => [s.key, s]));
    expect(byKey.get('dirsrc.hostName')).toMatchObject({ value: 'env.example.com', source: 'environment', variable: 'DIRCONN_DIRSRC_HOST_NAME' });
    expect(byKey.get('dirsrc.port')).toMatchObject({ value: 1389, source: 'stored' });
    expect(byKey.get('directory')).toMatchObject({ value: 'dirsrc', source: 'environment' });

    // Another setting saved: the environment's values stay out of the file, the file's stay in.
    const saved = await setSetting(deps, { key: 'dirsrc.port', value: '10389' });
    expect(saved.warnings).toEqual([]);
    expect(workspace.storedConfig.directory).toBeNull();
    expect(workspace.storedConfig.directories['dirsrc']).toEqual({ id: 'cfg-1', hostName: 'file.example.com', port: 10389 });
    expect(workspace.storedConfig.sync.users).toBe(false);

    // Setting an overridden key: saved when it differs, with a warning that the variable wins.
    const overridden = await setSetting(deps, { key: 'dirsrc.hostName', value: 'new.example.com' });
    expect(overridden.warnings.map((w) => w.code)).toContain('config.environment-override');
    expect(workspace.storedConfig.directories['dirsrc']?.['hostName']).toBe('new.example.com');
    expect(workspace.config.directories['dirsrc']?.['hostName']).toBe('env.example.com');
  });
});
