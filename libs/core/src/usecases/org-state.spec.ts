/**
 * Issue #9 item 2 through the use cases: who was synced belongs to the organization. A setting that
 * gives the directory config a new id (its server name) keeps the history, so people who left are
 * still removed within the limits; a new root is "the source changed" and stops unless allowed.
 */
import { describe, expect, it } from '@jest/globals';
import { hasErrorCode } from '../errors.js';
import type { DirectoryProvider, DirectoryUser } from '../model/directory.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import { FakeProvider } from '../testing/fake-provider.js';
import { snapshot, user } from '../testing/builders.js';
import { MemoryWorkspace } from '../testing/memory-workspace.js';
import { testUseCaseDeps } from '../testing/use-case-deps.js';
import { setSetting } from './config-set.usecase.js';
import { login } from './login.usecase.js';
import { runSync } from './sync.usecase.js';

const ORG = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const SCOPE = `${ORG}@https://bw.example.com/api`;

interface HostConfig extends Record<string, unknown> {
  host: string | null;
  root: string | null;
}

/** What the next read returns. */
let people: DirectoryUser[] = [];

const hostSource: ProviderDefinition<HostConfig> = {
  type: 'hostsrc',
  label: 'Test source with a server and a root',
  fields: [
    { key: 'hostsrc.host', kind: 'string', defaultValue: null, description: 'Server name.' },
    { key: 'hostsrc.root', kind: 'string', defaultValue: null, description: 'Root.' },
  ],
  defaults: { host: null, root: null },
  secret: null,
  identityFields: ['host'],
  sourceFields: ['root'],
  validate: () => [],
  create(): DirectoryProvider {
    return new FakeProvider(snapshot({ users: people, groups: null }), 'hostsrc');
  },
};

const named = (count: number, from = 0) => Array.from({ length: count }, (_, i) => user({ name: `p${from + i}` }));

async function syncedWorld() {
  const deps = testUseCaseDeps({
    definitions: [hostSource as unknown as ProviderDefinition],
    workspace: new MemoryWorkspace({ config: { server: { base: 'https://bw.example.com', api: null, identity: null, caFile: null, allowUnauthorized: false } } }),
  });
  deps.http
    .on('POST', '/identity/connect/token', { status: 200, body: { access_token: 'token-1', expires_in: 3600, token_type: 'Bearer' } })
    .on('GET', '/api/public/members', { status: 404 })
    .on('POST', '/api/public/organization/import', { status: 200 });
  await setSetting(deps, { key: 'directory', value: 'hostsrc' });
  await setSetting(deps, { key: 'hostsrc.host', value: '127.0.0.1' });
  await setSetting(deps, { key: 'hostsrc.root', value: 'dc=example,dc=com' });
  await setSetting(deps, { key: 'sync.users', value: 'true' });
  await login(deps, { clientId: `organization.${ORG}`, clientSecret: 'bw-secret' });
  people = named(23);
  expect((await runSync(deps)).outcome).toBe('synced');
  return deps;
}

async function stopOf(run: Promise<unknown>): Promise<{ message: string; details: { checks: { rule: string }[]; removals: { email: string }[] } }> {
  const error = await run.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(hasErrorCode(error, 'sync.safety-stop')).toBe(true);
  return error as { message: string; details: { checks: { rule: string }[]; removals: { email: string }[] } };
}

describe('the synced list survives setting changes (issue #9 item 2)', () => {
  it('after a new server name (a new config id) the 8 people who left are still seen, and removed within the limit', async () => {
    const deps = await syncedWorld();
    const idBefore = deps.workspace.config.directories['hostsrc']?.id;
    await setSetting(deps, { key: 'hostsrc.host', value: 'localhost' });
    expect(deps.workspace.config.directories['hostsrc']?.id).not.toBe(idBefore);
    people = named(15);

    const imports = deps.http.calls('POST', '/api/public/organization/import').length;
    const stop = await stopOf(runSync(deps));
    expect(stop.message).toContain('would remove 8 members, more than the limit of 5');
    expect(stop.details.removals.map((r) => r.email).sort()).toEqual(named(8, 15).map((u) => u.email).sort());
    expect(deps.http.calls('POST', '/api/public/organization/import')).toHaveLength(imports);

    await setSetting(deps, { key: 'sync.maxRemovals', value: '8' });
    const synced = await runSync(deps);
    expect(synced.plan.summary.removals).toBe(8);
    expect(deps.workspace.stateScopes()).toEqual([SCOPE]);
    expect(deps.workspace.getState(SCOPE)?.syncedUsers).toHaveLength(15);
  });

  it('a new root is "the source changed": stops naming who would go, unless allowed once', async () => {
    const deps = await syncedWorld();
    await setSetting(deps, { key: 'hostsrc.root', value: 'dc=other,dc=com' });
    await setSetting(deps, { key: 'sync.maxRemovals', value: '100' });
    people = [...named(20), ...named(2, 100)];

    const stop = await stopOf(runSync(deps));
    expect(stop.details.checks.map((c) => c.rule)).toEqual(['source-changed']);
    expect(stop.message).toContain('the hostsrc source changed from root dc=example,dc=com to root dc=other,dc=com): 3 people previously synced are not in the new read');
    for (const gone of named(3, 20)) expect(stop.message).toContain(gone.email ?? '');

    const allowed = await runSync(deps, { overrides: { allowSourceChange: true } });
    expect(allowed.outcome).toBe('synced');
    expect(allowed.plan.summary.removals).toBe(3);
    expect(deps.workspace.getState(SCOPE)?.source).toEqual({ type: 'hostsrc', identity: 'root dc=other,dc=com' });
    // The new source is now the known one: the next run passes without the override.
    const next = await runSync(deps);
    expect(next.plan.safety.ok).toBe(true);
    expect(next.plan.summary.removals).toBe(0);
  });
});
