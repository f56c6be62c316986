/**
 * Issue #9 item 5 end to end: the fake Bitwarden server keeps the import and answers 504 at once,
 * like a proxy giving up while the server keeps working. The BUILT CLI must not send the import
 * again (never two imports in flight), must say that the outcome is unknown and that the next run
 * converges, and must leave its saved state untouched but for the members the import may have added
 * (`pendingUsers`, issue #9 item 6); the next run then converges without a duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addUser, assertCliBuilt, configureDirectoryA, expectExit, importCount, loginEnv, readData, startWorld, syncedMembers, type World } from './cli-harness.js';

describe('dirconn e2e: an import whose outcome is unknown (issue #9 item 5)', () => {
  let world: World;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('ambiguous-import', { env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
    await configureDirectoryA(world);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('a 504 while the server keeps the import: sent once, "outcome unknown", state untouched but for the pending newcomer; the next run converges', async () => {
    const org = world.fake.addOrganization({ name: 'ambiguous' });
    world.fake.addMember({ email: 'owner@example.com', name: 'Owner', type: 0, status: 2 }, org.id);
    const dataDir = world.tempDir('ambiguous', world.dataDir);
    const cli = world.cliFor(dataDir);
    await cli.ok(['login'], { env: loginEnv(world.fake, org) });
    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced' });
    expect(syncedMembers(world.fake, org.id).size).toBe(20);

    const newcomer = await addUser(world.slapd, { cn: 'Hold Newcomer', ou: 'Peons', uid: 'HoldN', mail: 'hold.newcomer@example.com' });
    try {
      const state = readData(dataDir).state;
      const imports = importCount(world.fake);
      const held = world.fake.inject({ route: 'import', action: { kind: 'answer-then-apply', status: 504, afterMs: 3000 } });

      const run = expectExit(await cli.run(['--json', 'sync']), 1);
      const error = (run.json as { error: { code: string; message: string; hint: string; details: { appliedRequests: number; cause: unknown } } }).error;
      expect(held.fired).toBe(1);
      expect(error.code).toBe('bitwarden.server-error');
      expect(error.message).toContain('The outcome of the import is unknown: the server answered HTTP 504');
      expect(error.message).toContain('did not send it again: two imports must never run at the same time');
      expect(error.hint).toContain('the next sync reads the organization again and converges');
      expect(error.details).toMatchObject({ appliedRequests: 0, cause: { outcomeUnknown: true, status: 504 } });
      // One import only, and the server was still holding it when the CLI gave up.
      expect(importCount(world.fake)).toBe(imports + 1);
      expect(world.fake.member('hold.newcomer@example.com', org.id)).toBeUndefined();
      // Only the write-ahead record of who this import may have added (issue #9 item 6).
      const scope = Object.keys(state)[0] ?? '';
      expect(readData(dataDir).state).toEqual({ ...state, [scope]: { ...state[scope], pendingUsers: [{ externalId: newcomer.dn, email: 'hold.newcomer@example.com' }] } });

      // The server finishes the held import on its own.
      await world.fake.settled();
      expect(world.fake.member('hold.newcomer@example.com', org.id)?.externalId).toBe(newcomer.dn);

      // The next run re-reads the organization and converges: no invite, no duplicate.
      const next = await cli.ok(['--json', 'sync']);
      expect(next.json).toMatchObject({ outcome: 'synced', summary: { invites: 0, removals: 0 } });
      expect(world.fake.members(org.id).filter((m) => m.email === 'hold.newcomer@example.com')).toHaveLength(1);
      expect(syncedMembers(world.fake, org.id).size).toBe(21);
    } finally {
      await newcomer.remove();
    }
  });
});
