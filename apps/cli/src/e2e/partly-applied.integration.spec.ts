/**
 * Issue #9 item 6 end to end with the BUILT CLI: a batched import (sync.largeImport, more than 2000
 * users + groups) whose member batch the fake Bitwarden server accepts and whose group batch it
 * refuses. The newcomer invited in that window is remembered as pending (saved before the batch went
 * out); once she is deleted from the directory, the next sync removes her from the organization.
 * The source is a generated sample file (no slapd needed for the data, only for the world).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertCliBuilt, configure, importCount, loginEnv, readData, startWorld, syncedMembers, type World } from './cli-harness.js';

/** 1995 users and 10 groups: one member batch, then one group batch (2005 > 2000). */
const USERS = 1995;
const GROUPS = 10;
const NEWCOMER = { id: 'u-newcomer', email: 'nina.newcomer@example.com', displayName: 'Nina Newcomer' };

interface SampleUser {
  id: string;
  email: string;
  displayName: string;
}

function writeSample(file: string, extra: SampleUser[]): void {
  const users: SampleUser[] = Array.from({ length: USERS }, (_, i) => ({ id: `u-${i}`, email: `user${i}@example.com`, displayName: `User ${i}` }));
  users.push(...extra);
  const groups = Array.from({ length: GROUPS }, (_, g) => ({ id: `g-${g}`, name: `Group ${g}`, members: users.filter((_, i) => i % GROUPS === g).map((u) => u.id) }));
  writeFileSync(file, JSON.stringify({ users, groups }));
}

describe('dirconn e2e: a partly applied batched import (issue #9 item 6)', () => {
  let world: World;
  let sampleFile: string;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('partly-applied', { env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
    sampleFile = join(world.tempDir('partly-applied-sample'), 'directory.json');
    writeSample(sampleFile, []);
    await world.cli.ok(['config', 'server', world.fake.url]);
    await configure(world.cli, [
      ['directory', 'sample'],
      ['sample.file', sampleFile],
      ['sync.users', 'true'],
      ['sync.groups', 'true'],
      ['sync.largeImport', 'true'],
    ]);
    await world.cli.ok(['login'], { env: loginEnv(world.fake) });
  }, 120_000);
  afterAll(async () => {
    await world?.close();
  });

  it('the group batch fails after the member batch: the newcomer is pending, and removed once deleted in the directory', async () => {
    const { cli, fake, dataDir } = world;
    const first = await cli.ok(['--json', 'sync'], { timeoutMs: 120_000 });
    expect(first.json).toMatchObject({ outcome: 'synced', requestsPosted: 2 });
    expect(syncedMembers(fake).size).toBe(USERS);

    // Nina joins; the member batch is accepted, the group batch refused.
    writeSample(sampleFile, [NEWCOMER]);
    const imports = importCount(fake);
    const refused = fake.fail('import', 400, { onCall: 2, body: { message: 'The model state is invalid.', validationErrors: null } });
    const failed = await cli.run(['--json', 'sync'], { timeoutMs: 120_000 });
    expect(failed.code).not.toBe(0);
    expect(refused.fired).toBe(1);
    expect(importCount(fake)).toBe(imports + 2);
    expect((failed.json as { error: { code: string; details: unknown } }).error).toMatchObject({ code: 'bitwarden.rejected', details: { appliedRequests: 1, failedRequest: 2 } });
    expect(fake.member(NEWCOMER.email)?.externalId).toBe(NEWCOMER.id);
    const state = Object.values(readData(dataDir).state);
    expect(state).toHaveLength(1);
    expect(state[0]?.pendingUsers).toEqual([{ externalId: NEWCOMER.id, email: NEWCOMER.email }]);
    expect(state[0]?.syncedUsers?.some((u) => u.externalId === NEWCOMER.id)).toBe(false);

    // Nina is deleted in the directory before any run succeeds: the next sync removes her.
    writeSample(sampleFile, []);
    const next = await cli.ok(['--json', 'sync'], { timeoutMs: 120_000 });
    expect(next.json).toMatchObject({ outcome: 'synced', summary: { removals: 1 } });
    expect(fake.member(NEWCOMER.email)).toBeUndefined();
    expect(syncedMembers(fake).size).toBe(USERS);
    expect(Object.values(readData(dataDir).state)[0]?.pendingUsers).toBeNull();
  }, 300_000);
});
