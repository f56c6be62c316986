import { describe, expect, it } from '@jest/globals';
import { DirconnError } from '../errors.js';
import { syncState } from '../testing/builders.js';
import { MemoryFiles } from '../testing/memory-files.js';
import { MemorySecretStore } from '../testing/memory-secret-store.js';
import { MemoryWorkspace } from '../testing/memory-workspace.js';
import { testUseCaseDeps } from '../testing/use-case-deps.js';
import { login, logout } from './login.usecase.js';
import { clearCache, lastSync } from './maintenance.usecase.js';
import { loadSavedPlan } from './saved-plan.usecase.js';
import { CLIENT_SECRET_ACCOUNT } from './session.js';

const ORG = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const SERVER = { base: 'https://bw.example.com', api: null, identity: null, caFile: null, allowUnauthorized: false };

describe('login and logout', () => {
  it('checks the key first and saves nothing when the server refuses it', async () => {
    const deps = testUseCaseDeps({ definitions: [], workspace: new MemoryWorkspace({ config: { server: SERVER } }) });
    deps.http.on('POST', '/identity/connect/token', { status: 400, body: { error: 'invalid_client' } });
    await expect(login(deps, { clientId: `organization.${ORG}`, clientSecret: 'wrong' })).rejects.toMatchObject({ code: 'auth.bitwarden' });
    expect(deps.workspace.clientId).toBeNull();
    expect(deps.secrets.accounts()).toEqual([]);
  });

  it('saves the client id and secret after a good check; logout forgets both', async () => {
    const deps = testUseCaseDeps({ definitions: [], workspace: new MemoryWorkspace({ config: { server: SERVER } }) });
    deps.http.on('POST', '/identity/connect/token', { status: 200, body: { access_token: 't', expires_in: 3600 } });
    const result = await login(deps, { clientId: `organization.${ORG.toUpperCase()}`, clientSecret: 'good' });
    expect(result).toMatchObject({ organizationId: ORG, server: 'https://bw.example.com/api', warnings: [] });
    expect(deps.workspace.organizationId).toBe(ORG);
    expect(await deps.secrets.get(CLIENT_SECRET_ACCOUNT)).toBe('good');
    expect(await logout(deps)).toEqual({ wasLoggedIn: true, warnings: [] });
    expect(deps.workspace.clientId).toBeNull();
    expect(deps.secrets.accounts()).toEqual([]);
  });

  it('without a keychain, still logs in when the environment supplies the same secret at run time', async () => {
    const secrets = new MemorySecretStore({ [CLIENT_SECRET_ACCOUNT]: 'from-env' });
    secrets.set = () => Promise.reject(new DirconnError('secrets.unavailable', 'No keychain.'));
    secrets.setOverride(CLIENT_SECRET_ACCOUNT, { kind: 'variable', name: 'BW_CLIENTSECRET' });
    const deps = testUseCaseDeps({ definitions: [], secrets });
    const result = await login(deps, { clientId: `organization.${ORG}`, clientSecret: 'from-env', verify: false });
    expect(result.secretStorage).toContain('BW_CLIENTSECRET');
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'secrets.not-stored' })]);
    expect(deps.workspace.clientId).toBe(`organization.${ORG}`);
    // A different secret than the environment's is not silently dropped.
    await expect(login(deps, { clientId: `organization.${ORG}`, clientSecret: 'other', verify: false })).rejects.toMatchObject({ code: 'secrets.unavailable' });
  });

  it('refuses a malformed client id before anything else', async () => {
    const deps = testUseCaseDeps({ definitions: [] });
    await expect(login(deps, { clientId: 'user.123', clientSecret: 'x' })).rejects.toMatchObject({ code: 'config.invalid' });
    expect(deps.http.requests).toEqual([]);
  });
});

describe('clearCache', () => {
  it('forgets hash, cursors and times of every scope but keeps the synced members (leavers are still detected)', async () => {
    const synced = [{ externalId: 'alice', email: 'alice@example.com' }];
    const workspace = new MemoryWorkspace({
      state: {
        a: syncState({ lastSyncHash: 'h', cursor: { usn: 5 }, lastUserSync: '2026-01-01T00:00:00.000Z', lastGroupSync: '2026-01-01T00:00:00.000Z', lastFullSync: '2026-01-01T00:00:00.000Z', syncedUsers: synced, syncedGroups: ['g'] }),
        b: syncState({ lastSyncHash: 'h2' }),
      },
    });
    const deps = testUseCaseDeps({ definitions: [], workspace });
    expect(await clearCache(deps)).toEqual({ scopes: 2 });
    expect(workspace.getState('a')).toEqual(syncState({ syncedUsers: synced, syncedGroups: ['g'] }));
    expect(workspace.getState('b')?.lastSyncHash).toBeNull();
    expect(workspace.writes).toEqual([{ kind: 'state', scopes: ['a', 'b'] }]);
  });
});

describe('lastSync', () => {
  it('is null without a directory and reads the current scope otherwise', () => {
    const definition = { type: 'x', label: 'X', fields: [], defaults: {}, secret: null, identityFields: [], validate: () => [], create: () => { throw new Error('unused'); } };
    const workspace = new MemoryWorkspace({ login: { clientId: `organization.${ORG}`, organizationId: ORG }, config: { directory: 'x', directories: { x: { id: 'c1' } } }, state: { [`${ORG}@https://api.bitwarden.com`]: syncState({ lastUserSync: '2026-02-02T00:00:00.000Z' }) } });
    const deps = testUseCaseDeps({ definitions: [definition], workspace });
    expect(lastSync(deps, 'users')).toEqual({ object: 'users', lastSync: '2026-02-02T00:00:00.000Z' });
    expect(lastSync(deps, 'groups')).toEqual({ object: 'groups', lastSync: null });
    expect(lastSync(testUseCaseDeps({ definitions: [] }), 'users').lastSync).toBeNull();
  });
});

describe('loadSavedPlan', () => {
  it('reads a plan and refuses unreadable, non-JSON and foreign files', async () => {
    const plan = { version: 1, requests: [], hash: 'h', fingerprint: { directory: 'd', organization: 'o' } };
    const files = new MemoryFiles({ '/p.json': JSON.stringify(plan), '/bad.json': '{', '/other.json': '{"version":2}', '/null.json': 'null' });
    await expect(loadSavedPlan({ files }, '/p.json')).resolves.toEqual(plan);
    await expect(loadSavedPlan({ files }, '/none.json')).rejects.toMatchObject({ code: 'usage', message: 'Cannot read the plan file /none.json: ENOENT.' });
    await expect(loadSavedPlan({ files }, '/bad.json')).rejects.toMatchObject({ message: expect.stringContaining('not valid JSON') });
    await expect(loadSavedPlan({ files }, '/other.json')).rejects.toMatchObject({ message: expect.stringContaining('not a dirconn plan') });
    await expect(loadSavedPlan({ files }, '/null.json')).rejects.toMatchObject({ message: expect.stringContaining('not a dirconn plan') });
  });
});
