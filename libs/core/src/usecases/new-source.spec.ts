/**
 * Issue #7: a new source is one folder plus one registry line. This spec registers a throw-away
 * source (`testsrc`, with a secret) only by passing its definition in the deps' registry, and drives
 * `config set` (its settings, its secret by name and by alias), `test` and `sync` through the use
 * cases with in-memory fakes: nothing else in core, storage or a face had to know about it.
 */
import { describe, expect, it } from '@jest/globals';
import type { DirectoryProvider } from '../model/directory.js';
import type { ProviderDefinition, ProviderDeps } from '../model/provider-definition.js';
import { secretBindings } from '../config/secret-bindings.js';
import { FakeProvider } from '../testing/fake-provider.js';
import { group, snapshot, user } from '../testing/builders.js';
import { MemoryWorkspace } from '../testing/memory-workspace.js';
import { testUseCaseDeps } from '../testing/use-case-deps.js';
import { getSetting, listSettings } from './config-view.usecase.js';
import { setSecret, setSetting } from './config-set.usecase.js';
import { login } from './login.usecase.js';
import { runSync, runTest } from './sync.usecase.js';
import { directorySideView } from './directory-side.js';

const ORG = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

interface TestSourceConfig extends Record<string, unknown> {
  tenant: string | null;
}

/** What the throw-away provider was built with, per read. */
const built: ProviderDeps<TestSourceConfig>[] = [];

const testSource: ProviderDefinition<TestSourceConfig> = {
  type: 'testsrc',
  label: 'Throw-away test source',
  fields: [
    { key: 'testsrc.tenant', kind: 'string', defaultValue: null, description: 'Tenant name.' },
    { key: 'testsrc.key', kind: 'secret', secret: true, defaultValue: null, description: 'API key.' },
  ],
  defaults: { tenant: null },
  secret: {
    setting: 'testsrc.key',
    aliases: ['legacy.key'],
    account: 'secretTestsrc',
    variable: 'DIRCONN_TESTSRC_KEY',
    fileVariable: 'DIRCONN_TESTSRC_KEY_FILE',
    fileContent: 'first-line',
    description: 'test source API key',
  },
  identityFields: ['tenant'],
  filter: {
    check: (filter) => (filter.startsWith('only:') ? undefined : 'expected only:<names>'),
    example: 'only:alice',
    description: 'only:<names>.',
  },
  unusedSyncFields: ['sync.userPath', 'sync.groupPath'],
  validate(config, _sync, secretPresent) {
    const issues = [];
    if (config.tenant === null) issues.push({ key: 'testsrc.tenant', message: 'the tenant is not set' });
    if (!secretPresent) issues.push({ key: 'testsrc.key', message: 'the API key is not set' });
    return issues;
  },
  create(deps): DirectoryProvider {
    built.push(deps);
    return new FakeProvider(snapshot({ users: [user({ name: 'alice' }), user({ name: 'bob' })], groups: [group({ name: 'Staff', users: ['alice', 'bob'] })] }), 'testsrc');
  },
};

/** The "registry line": the only place the test source is named. */
const registry = [testSource as unknown as ProviderDefinition];

function token() {
  return { status: 200, body: { access_token: 'token-1', expires_in: 3600, token_type: 'Bearer' } };
}

describe('a new source is one definition in the registry', () => {
  it('is configured, tested and synced through the use cases', async () => {
    const deps = testUseCaseDeps({ definitions: registry, workspace: new MemoryWorkspace({ config: { server: { base: 'https://bw.example.com', api: null, identity: null, caFile: null, allowUnauthorized: false } } }) });
    deps.http
      .on('POST', '/identity/connect/token', token())
      .on('GET', '/api/public/members', { status: 404 })
      .on('POST', '/api/public/organization/import', { status: 200 });

    // Its keys exist, validated by its own filter syntax; its secret is set by name or alias.
    await setSetting(deps, { key: 'directory', value: 'testsrc' });
    await setSetting(deps, { key: 'testsrc.tenant', value: 'contoso' });
    await expect(setSetting(deps, { key: 'sync.userFilter', value: '(cn=x)' })).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('expected only:<names>') });
    await setSetting(deps, { key: 'sync.userFilter', value: 'only:alice,bob' });
    await setSetting(deps, { key: 'sync.users', value: 'true' });
    await setSetting(deps, { key: 'sync.groups', value: 'true' });
    const saved = await setSecret(deps, { key: 'legacy.key', secret: 'k-123' });
    expect(saved.key).toBe('testsrc.key');
    const id = deps.workspace.config.directories['testsrc']?.id;
    expect(deps.secrets.accounts()).toEqual([`secretTestsrc:${id}`]);
    expect((await getSetting(deps, 'testsrc.key')).secret).toEqual({ set: true, origin: { kind: 'store', name: deps.secrets.description } });

    // Its listing shows its keys and hides the sync keys it does not use.
    const keys = (await listSettings(deps)).settings.map((s) => s.key);
    expect(keys).toEqual(expect.arrayContaining(['testsrc.tenant', 'testsrc.key', 'sync.userFilter']));
    expect(keys).not.toContain('sync.userPath');

    // Its secret's environment variables come from the same definition.
    expect(secretBindings(registry).map((b) => b.variable)).toContain('DIRCONN_TESTSRC_KEY');

    // test: the provider gets its config and the stored secret.
    const tested = await runTest(deps);
    expect(tested.plan.users.map((u) => u.email).sort()).toEqual(['alice@example.com', 'bob@example.com']);
    expect(built.at(-1)).toMatchObject({ config: { tenant: 'contoso' }, secret: 'k-123' });
    const view = directorySideView(tested.plan);
    expect(view.enabledUsers.map((u) => u.displayName)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(view.groups).toEqual([{ externalId: 'Staff', displayName: 'Staff', userIds: ['alice', 'bob'] }]);

    // sync: log in, then one import is posted and the state is saved under the organization's scope.
    await login(deps, { clientId: `organization.${ORG}`, clientSecret: 'bw-secret' });
    const synced = await runSync(deps);
    expect(synced.outcome).toBe('synced');
    expect(deps.http.calls('POST', '/api/public/organization/import')).toHaveLength(1);
    expect(deps.workspace.stateScopes()).toEqual([`${ORG}@https://bw.example.com/api`]);
    expect(deps.workspace.getState(`${ORG}@https://bw.example.com/api`)).toMatchObject({ lastSyncHash: expect.any(String), source: { type: 'testsrc', identity: null } });
  });

  it('gives the config a new identity when its tenant changes, so the key is asked for again', async () => {
    const deps = testUseCaseDeps({ definitions: registry });
    await setSetting(deps, { key: 'directory', value: 'testsrc' });
    await setSecret(deps, { key: 'testsrc.key', secret: 'k-123' });
    const first = deps.workspace.config.directories['testsrc']?.id;
    // Giving the tenant its first value completes the identity: same id, the key still applies.
    expect((await setSetting(deps, { key: 'testsrc.tenant', value: 'contoso' })).warnings).toEqual([]);
    expect(deps.workspace.config.directories['testsrc']?.id).toBe(first);
    expect((await getSetting(deps, 'testsrc.key')).secret?.set).toBe(true);
    // Another tenant: a new id, and the key saved for contoso is not offered to fabrikam.
    const changed = await setSetting(deps, { key: 'testsrc.tenant', value: 'fabrikam' });
    expect(changed.warnings).toEqual([expect.objectContaining({ code: 'config.new-identity', setting: 'testsrc.key' })]);
    expect(deps.workspace.config.directories['testsrc']?.id).not.toBe(first);
    expect((await getSetting(deps, 'testsrc.key')).secret?.set).toBe(false);
    // The same value again changes nothing.
    const again = deps.workspace.config.directories['testsrc']?.id;
    expect((await setSetting(deps, { key: 'testsrc.tenant', value: 'fabrikam' })).warnings).toEqual([]);
    expect(deps.workspace.config.directories['testsrc']?.id).toBe(again);
  });
});
