import { describe, expect, it } from '@jest/globals';
import { CLIENT_SECRET_ACCOUNT, DirconnError, type UseCaseDeps } from '@dirconn/core';
import { FakeHttpClient, MemoryWorkspace, orgGroup, orgMember, snapshot, syncTestDeps, testUseCaseDeps, user, group, type TestUseCaseDeps } from '@dirconn/core/testing';
import { providerDefinitions } from '@dirconn/providers';
import { dispatch } from './dispatch.js';
import type { HandlerEnv } from './handler-env.js';
import { createHandlers } from './handlers.js';
import { OperationRunner } from './operations.js';
import { MemoryScheduleStore } from './schedule-store.js';
import { Scheduler } from './scheduler.js';

const ORG = '3f0c7c0e-1b2a-4c3d-9e8f-0a1b2c3d4e5f';
const sampleDefinition = providerDefinitions.find((d) => d.type === 'sample')!;
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Handlers over in-memory fakes; `locked` makes every locking open fail like a busy store. */
function harness(options: { workspace?: MemoryWorkspace; http?: FakeHttpClient; deps?: TestUseCaseDeps; openPath?: (path: string) => Promise<void> } = {}) {
  const deps =
    options.deps ??
    testUseCaseDeps({
      definitions: [sampleDefinition],
      ...(options.workspace ? { workspace: options.workspace } : {}),
      ...(options.http ? { http: options.http } : {}),
    });
  const opened: { command: string; lock: boolean }[] = [];
  const control = { locked: false };
  const operations = new OperationRunner(() => new Date('2026-12-04T10:00:00Z'));
  const scheduler = new Scheduler({ store: new MemoryScheduleStore(), now: () => new Date(), runSync: async () => 'synced', defaultIntervalMinutes: async () => 5, logger: silent });
  const env: HandlerEnv = {
    withStore: async <T>(command: string, fn: (d: UseCaseDeps) => Promise<T>, storeOptions: { lock: boolean }): Promise<T> => {
      opened.push({ command, lock: storeOptions.lock });
      if (storeOptions.lock && control.locked) {
        throw new DirconnError('store.locked', 'The dirconn data directory /data is in use by another dirconn process (pid 42, "dirconn sync").', { hint: 'Wait for it to finish.' });
      }
      return fn(deps);
    },
    location: { dataDir: '/data', dataFile: '/data/data.json', reportsDir: '/data/reports' },
    operations,
    scheduler,
    face: 'desktop',
    version: '1.2.3',
    runtime: { node: '22' },
    platform: 'linux x64',
    logFile: null,
    ...(options.openPath ? { openPath: options.openPath } : {}),
  };
  const handlers = createHandlers(env);
  const call = (method: string, payload: unknown = {}) => dispatch(handlers, method, payload, { face: 'desktop' });
  return { deps, opened, control, operations, call, scheduler };
}

const sampleOn = { directory: 'sample', 'sync.users': true, 'sync.groups': true };

describe('desktop handlers', () => {
  it('status: logged out, US cloud, no source yet, without taking the lock', async () => {
    const h = harness();
    await expect(h.call('status')).resolves.toEqual({
      ok: true,
      value: {
        loggedIn: false,
        clientId: null,
        organizationId: null,
        server: { kind: 'us', baseUrl: null, apiUrl: 'https://api.bitwarden.com', identityUrl: 'https://identity.bitwarden.com' },
        directory: null,
        dataDir: '/data',
        version: '1.2.3',
        face: 'desktop',
      },
    });
    expect(h.opened).toEqual([{ command: 'status', lock: false }]);
  });

  it('setSettings saves several settings in one write, validated by the CLI validators', async () => {
    const h = harness();
    const response = await h.call('setSettings', { values: { ...sampleOn, 'sync.maxRemovals': '12', 'sync.removeDisabled': true } });
    expect(response).toEqual({ ok: true, value: { saved: ['directory', 'sync.users', 'sync.groups', 'sync.maxRemovals', 'sync.removeDisabled'], warnings: [] } });
    expect(h.deps.workspace.writes).toEqual([{ kind: 'config' }]);
    expect(h.deps.workspace.config).toMatchObject({ directory: 'sample', sync: { users: true, groups: true, maxRemovals: 12, removeDisabled: true } });
    expect(h.opened).toEqual([{ command: 'desktop config', lock: true }]);
  });

  it('setSettings is all-or-nothing: one invalid value saves none', async () => {
    const h = harness();
    const response = await h.call('setSettings', { values: { ...sampleOn, 'sync.maxRemovals': 'many' } });
    expect(response).toMatchObject({ ok: false, error: { code: 'config.invalid', message: expect.stringContaining('sync.maxRemovals') } });
    expect(h.deps.workspace.writes).toEqual([]);
    expect(h.deps.workspace.config.directory).toBeNull();
  });

  it('setSettings refuses an unknown key with suggestions, and a secret key', async () => {
    const h = harness();
    await expect(h.call('setSettings', { values: { 'sync.maxRemoval': 3 } })).resolves.toMatchObject({ ok: false, error: { code: 'usage', hint: expect.stringContaining('sync.maxRemovals') } });
    expect(h.deps.workspace.writes).toEqual([]);
  });

  it('listSettings is generated from the definitions: sections, kinds, enum values, bounds', async () => {
    const h = harness();
    await h.call('setSettings', { values: sampleOn });
    const response = await h.call('listSettings');
    if (!response.ok) throw new Error(response.error.message);
    const list = response.value as { directoryType: string; sources: { type: string }[]; settings: { key: string; section: string; enumValues: string[] | null; min: number | null; value: unknown; isDefault: boolean }[] };
    expect(list.directoryType).toBe('sample');
    expect(list.sources.map((s) => s.type)).toEqual(['sample']);
    const byKey = new Map(list.settings.map((s) => [s.key, s]));
    expect(byKey.get('directory')).toMatchObject({ section: 'directory', enumValues: ['sample'], value: 'sample', isDefault: false });
    expect(byKey.get('sync.interval')).toMatchObject({ section: 'sync', min: 5, value: 5, isDefault: true });
    expect(byKey.get('sync.maxRemovals')).toMatchObject({ section: 'sync', value: 5 });
    expect(byKey.get('server')).toMatchObject({ section: 'server' });
    expect([...byKey.values()].filter((s) => s.section === 'source').map((s) => s.key)).toEqual(sampleDefinition.fields.map((f) => f.key));
    // LDAP-only sync settings are hidden for the sample source.
    expect(byKey.has('sync.userObjectClass')).toBe(false);
  });

  it('test reads the directory side; the counts add up', async () => {
    const h = harness();
    await h.call('setSettings', { values: sampleOn });
    const response = await h.call('test');
    if (!response.ok) throw new Error(response.error.message);
    const value = response.value as { counts: { users: number; enabled: number; disabled: number; deleted: number; groups: number }; users: unknown[]; groups: unknown[] };
    expect(value.counts.users).toBe(value.users.length);
    expect(value.counts.enabled + value.counts.disabled + value.counts.deleted).toBe(value.counts.users);
    expect(value.counts.groups).toBe(value.groups.length);
    expect(value.counts.users).toBeGreaterThan(0);
    expect(h.opened.at(-1)).toEqual({ command: 'desktop test', lock: true });
  });

  it('plan without a login shows the directory-side view, never the raw requests', async () => {
    const h = harness();
    await h.call('setSettings', { values: sampleOn });
    const response = await h.call('plan', { overrides: { allowRemovals: 3 } });
    expect(response).toMatchObject({ ok: true, value: { orgView: 'directory-only', safety: { ok: true } } });
    expect(response.ok && Object.keys(response.value as object)).not.toContain('requests');
    expect(response.ok && Object.keys(response.value as object)).not.toContain('nextState');
  });

  it('syncNow without a login fails with auth.not-logged-in and its hint', async () => {
    const h = harness();
    await h.call('setSettings', { values: sampleOn });
    await expect(h.call('syncNow')).resolves.toMatchObject({ ok: false, error: { code: 'auth.not-logged-in', hint: expect.any(String) } });
  });

  it('a store locked by another process is store.locked, "in use by another dirconn process"', async () => {
    const h = harness();
    h.control.locked = true;
    for (const method of ['setSettings', 'syncNow', 'clearCache', 'logout'] as const) {
      const payload = method === 'setSettings' ? { values: sampleOn } : {};
      const response = await h.call(method, payload);
      expect(response).toMatchObject({ ok: false, error: { code: 'store.locked', message: expect.stringContaining('in use by another dirconn process') } });
    }
    // Reads that need no lock still work.
    await expect(h.call('status')).resolves.toMatchObject({ ok: true });
  });

  it('one long operation at a time: a second is refused as desktop.busy, and cancel reaches the first', async () => {
    const h = harness();
    let release: () => void = () => undefined;
    let signal: AbortSignal | undefined;
    const first = h.operations.run('syncNow', 'schedule', (control) => {
      signal = control.signal;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await expect(h.call('test')).resolves.toMatchObject({ ok: false, error: { code: 'desktop.busy' } });
    await expect(h.call('activity')).resolves.toMatchObject({ ok: true, value: { running: { operation: 'syncNow', trigger: 'schedule' } } });
    await expect(h.call('cancel')).resolves.toEqual({ ok: true, value: { cancelled: true } });
    expect(signal?.aborted).toBe(true);
    release();
    await first;
    await expect(h.call('activity')).resolves.toEqual({ ok: true, value: { running: null } });
  });

  it('signIn refuses a malformed client id before contacting the server, saving nothing', async () => {
    const http = new FakeHttpClient();
    const h = harness({ http });
    const response = await h.call('signIn', { server: { kind: 'eu' }, clientId: 'user.123', clientSecret: 'secret-value' });
    expect(response).toMatchObject({ ok: false, error: { code: 'config.invalid' } });
    expect(http.requests).toEqual([]);
    expect(h.deps.workspace.writes).toEqual([]);
    expect(JSON.stringify(response)).not.toContain('secret-value');
  });

  it('signIn checks the key against the chosen server before saving anything', async () => {
    const http = new FakeHttpClient().on('POST', '/identity/connect/token', { status: 400, body: { error: 'invalid_client' } });
    const h = harness({ http });
    const response = await h.call('signIn', { server: { kind: 'self-hosted', url: 'https://vault.example.com' }, clientId: `organization.${ORG}`, clientSecret: 'wrong' });
    expect(response).toMatchObject({ ok: false, error: { code: 'auth.bitwarden' } });
    expect(http.requests.map((r) => r.url)).toEqual(['https://vault.example.com/identity/connect/token']);
    expect(h.deps.workspace.writes).toEqual([]);
    expect(h.deps.workspace.config.server.base).toBeNull();
  });

  it('signIn saves the key and the server once the server accepted it', async () => {
    const http = new FakeHttpClient().on('POST', '/identity/connect/token', { status: 200, body: { access_token: 't', expires_in: 3600, token_type: 'Bearer' } });
    const h = harness({ http });
    const response = await h.call('signIn', { server: { kind: 'self-hosted', url: 'vault.example.com' }, clientId: `organization.${ORG}`, clientSecret: 'right' });
    expect(response).toMatchObject({ ok: true, value: { organizationId: ORG, apiUrl: 'https://vault.example.com/api' } });
    expect(h.deps.workspace.config.server.base).toBe('https://vault.example.com');
    expect(h.deps.workspace.clientId).toBe(`organization.${ORG}`);
    expect(await h.deps.secrets.get(CLIENT_SECRET_ACCOUNT)).toBe('right');
    await expect(h.call('status')).resolves.toMatchObject({ ok: true, value: { loggedIn: true, server: { kind: 'self-hosted', baseUrl: 'https://vault.example.com' } } });
    await expect(h.call('logout')).resolves.toEqual({ ok: true, value: { wasLoggedIn: true, note: null } });
    expect(h.deps.workspace.clientId).toBeNull();
  });

  it('signIn with a bad self-hosted URL is refused by the same validator as "dirconn config server"', async () => {
    const h = harness();
    await expect(h.call('signIn', { server: { kind: 'self-hosted', url: 'ftp://x' }, clientId: `organization.${ORG}`, clientSecret: 's' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'config.invalid', message: expect.stringContaining('server') },
    });
  });

  it('schedule start validates the interval and reports the next run', async () => {
    const h = harness();
    await expect(h.call('scheduleStart', { intervalMinutes: 4 })).resolves.toMatchObject({ ok: false, error: { code: 'usage' } });
    const started = await h.call('scheduleStart', { intervalMinutes: 10 });
    expect(started).toMatchObject({ ok: true, value: { enabled: true, intervalMinutes: 10, nextRunAt: expect.any(String) } });
    await expect(h.call('scheduleStop')).resolves.toMatchObject({ ok: true, value: { enabled: false, nextRunAt: null } });
    h.scheduler.dispose();
  });

  it('clearCache, lastSync, reports and about answer from the store', async () => {
    const h = harness();
    await expect(h.call('clearCache')).resolves.toEqual({ ok: true, value: { scopes: 0 } });
    await expect(h.call('lastSync')).resolves.toEqual({ ok: true, value: { users: null, groups: null } });
    await expect(h.call('reports', { limit: 5 })).resolves.toEqual({ ok: true, value: { reports: [] } });
    await expect(h.call('about')).resolves.toMatchObject({ ok: true, value: { version: '1.2.3', dataFile: '/data/data.json', face: 'desktop' } });
  });

  it('a safety stop crosses with the checks and the people who would be removed; allowRemovals confirms it once', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `user${i}`);
    const read = (kept: string[]) => snapshot({ users: kept.map((name) => user({ name })), groups: [group({ name: 'Eng', users: kept })] });
    const deps = syncTestDeps(read(names));
    const h = harness({ deps });
    await expect(h.call('syncNow')).resolves.toMatchObject({ ok: true, value: { outcome: 'synced', requestsPosted: 1 } });
    deps.bitwarden.org = { members: names.map((name) => orgMember({ name })), groups: [orgGroup({ name: 'Eng', memberIds: names.map((n) => `member-${n}`) })] };
    deps.provider.setResult(read(names.slice(0, 2)));

    const plan = await h.call('plan');
    expect(plan).toMatchObject({ ok: true, value: { orgView: 'live', safety: { ok: false }, summary: { removals: 8 } } });
    const stopped = await h.call('syncNow');
    expect(stopped).toMatchObject({ ok: false, error: { code: 'sync.safety-stop', hint: expect.any(String) } });
    const details = (!stopped.ok && stopped.error.details) as { checks: { rule: string; passed: boolean }[]; removals: { email?: string }[] };
    expect(details.checks.map((c) => c.rule)).toContain('max-removals');
    expect(details.removals.map((r) => r.email).sort()).toEqual(names.slice(2).map((n) => `${n}@example.com`).sort());
    expect(deps.bitwarden.imports()).toHaveLength(1);

    await expect(h.call('syncNow', { overrides: { allowRemovals: 8 } })).resolves.toMatchObject({ ok: true, value: { outcome: 'synced' } });
    expect(deps.bitwarden.imports()).toHaveLength(2);
  });

  it('a group-membership stop is allowed once with allowMembershipRemovals, and the overrides reach the planner', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `user${i}`);
    const read = (eng: string[]) => snapshot({ users: names.map((name) => user({ name })), groups: [group({ name: 'Eng', users: eng }), group({ name: 'Ops', users: names.slice(0, 5) })] });
    const deps = syncTestDeps(read(names));
    const h = harness({ deps });
    await expect(h.call('syncNow')).resolves.toMatchObject({ ok: true, value: { outcome: 'synced' } });
    deps.bitwarden.org = {
      members: names.map((name) => orgMember({ name })),
      groups: [orgGroup({ name: 'Eng', memberIds: names.map((n) => `member-${n}`) }), orgGroup({ name: 'Ops', memberIds: names.slice(0, 5).map((n) => `member-${n}`) })],
    };
    deps.provider.setResult(read([]));

    const stopped = await h.call('syncNow');
    expect(stopped).toMatchObject({ ok: false, error: { code: 'sync.safety-stop' } });
    const details = (!stopped.ok && stopped.error.details) as { checks: { passed: boolean; allow?: { option: string; atLeast?: number } }[] };
    expect(details.checks.filter((c) => !c.passed).map((c) => c.allow)).toContainEqual({ option: 'allowMembershipRemovals', atLeast: 40 });
    expect(deps.bitwarden.imports()).toHaveLength(1);

    await expect(h.call('syncNow', { overrides: { allowMembershipRemovals: 39 } })).resolves.toMatchObject({ ok: false, error: { code: 'sync.safety-stop' } });
    await expect(h.call('plan', { overrides: { allowMembershipRemovals: 40 } })).resolves.toMatchObject({ ok: true, value: { safety: { ok: true } } });
    await expect(h.call('syncNow', { overrides: { allowMembershipRemovals: 40 } })).resolves.toMatchObject({ ok: true, value: { outcome: 'synced' } });
    expect(deps.bitwarden.imports()).toHaveLength(2);
  });

  it('openFolder opens the data folder in the desktop app and is unavailable in the browser', async () => {
    const opened: string[] = [];
    const desktop = harness({ openPath: async (folder) => void opened.push(folder) });
    await expect(desktop.call('openFolder', { folder: 'data' })).resolves.toEqual({ ok: true, value: { path: '/data' } });
    expect(opened).toEqual(['/data']);
    await expect(harness().call('openFolder', { folder: 'logs' })).resolves.toMatchObject({ ok: false, error: { code: 'desktop.unavailable' } });
    await expect(desktop.call('openFolder', { folder: '/etc' })).resolves.toMatchObject({ ok: false, error: { code: 'usage' } });
  });
});
