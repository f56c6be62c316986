/**
 * Issue #9 item 6 through `runSync`: before each import request the members it sends are saved as
 * pending, so when the member batch is accepted and the group batch fails (on every run, or the
 * process dies before the state is saved), a member invited in that window who later leaves the
 * directory is still removed by the next sync.
 */
import { describe, expect, it } from '@jest/globals';
import type { ImportRequest } from '../model/import-request.js';
import { group, orgMember, snapshot, user } from '../testing/builders.js';
import { TEST_ORGANIZATION_ID, syncTestDeps, type SyncTestDeps } from '../testing/fake-bitwarden-server.js';
import { runSync } from './sync.usecase.js';

const SCOPE = `${TEST_ORGANIZATION_ID}@https://api.bitwarden.com`;
const BAD_REQUEST = { status: 400, body: { message: 'The model state is invalid.', validationErrors: null } };

function directory(names: string[]) {
  return snapshot({ users: names.map((name) => user({ name })), groups: [group({ name: 'Eng', users: names })] });
}

/** Users and groups with largeImport on: batches of `batchSize` (members first, then groups). */
async function batchedDeps(names: string[]): Promise<SyncTestDeps> {
  const deps = syncTestDeps(directory(names));
  const config = deps.workspace.config;
  await deps.workspace.saveConfig({ ...config, sync: { ...config.sync, largeImport: true } });
  return deps;
}

function parsedImports(deps: SyncTestDeps): ImportRequest[] {
  return deps.bitwarden.imports().map((body) => JSON.parse(body) as ImportRequest);
}

describe('runSync: members of a partly applied run are remembered (issue #9 item 6)', () => {
  it('the member batch succeeded, the group batch failed: Carol is pending, and removed once she leaves', async () => {
    const deps = await batchedDeps(['alice', 'bob']);
    await runSync(deps, { batchSize: 2 });
    expect(deps.workspace.getState(SCOPE)?.pendingUsers).toBeNull();

    // Carol joins; her member batch is accepted, the group batch is refused.
    deps.provider.setResult(directory(['alice', 'bob', 'carol']));
    deps.bitwarden.importQueue = [{ status: 200 }, { status: 200 }, BAD_REQUEST];
    await expect(runSync(deps, { batchSize: 2 })).rejects.toMatchObject({ details: { appliedRequests: 2, failedRequest: 3 } });
    expect(deps.workspace.getState(SCOPE)).toMatchObject({
      pendingUsers: [{ externalId: 'carol', email: 'carol@example.com' }],
      syncedUsers: [
        { externalId: 'alice', email: 'alice@example.com' },
        { externalId: 'bob', email: 'bob@example.com' },
      ],
    });

    // Carol leaves the directory before any run succeeds: the next sync sends her as deleted.
    deps.provider.setResult(directory(['alice', 'bob']));
    // The organization as the accepted member batches left it (the fake does not apply imports).
    deps.bitwarden.org = { members: ['alice', 'bob', 'carol'].map((name) => orgMember({ name })), groups: [] };
    const imported = parsedImports(deps).length;
    const result = await runSync(deps, { batchSize: 2 });
    expect(result.outcome).toBe('synced');
    const sent = parsedImports(deps).slice(imported).flatMap((r) => r.members);
    expect(sent).toContainEqual({ email: 'carol@example.com', externalId: 'carol', deleted: true });
    expect(result.plan.summary).toMatchObject({ removals: 1 });
    expect(deps.workspace.getState(SCOPE)).toMatchObject({ pendingUsers: null, syncedUsers: [{ externalId: 'alice' }, { externalId: 'bob' }] });
  });

  it('saves the pending members before the request that carries them is posted', async () => {
    const deps = await batchedDeps(['alice', 'bob', 'carol']);
    deps.bitwarden.importQueue = [BAD_REQUEST];
    // The first member batch is refused: what it carried was nevertheless recorded before it went out
    // (the process could have died after the server accepted it).
    await expect(runSync(deps, { batchSize: 2 })).rejects.toMatchObject({ details: { appliedRequests: 0, failedRequest: 1 } });
    expect(deps.workspace.getState(SCOPE)?.pendingUsers?.map((u) => u.externalId)).toEqual(['alice', 'bob']);
    expect(parsedImports(deps)).toHaveLength(1);
  });

  it('writes nothing extra when every member sent is already known', async () => {
    const deps = syncTestDeps(directory(['alice', 'bob']));
    await runSync(deps);
    const writes = deps.workspace.writes.length;
    deps.provider.setResult(directory(['alice', 'bob']));
    await runSync(deps, { overrides: { ignoreHash: true } });
    // One state write (the next state) and one report: no write-ahead.
    expect(deps.workspace.writes.slice(writes).map((w) => w.kind)).toEqual(['state', 'report']);
  });
});
