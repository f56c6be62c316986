/**
 * The data-directory lock with real processes: a second sync while one runs fails fast with exit 7;
 * a sync killed with SIGKILL in the middle of its import leaves a readable store, its lock is
 * recovered once stale (15 s: libs/storage has no option to shorten it from the CLI, so this test
 * waits it out), and a later sync works.
 *
 * The first sync is held inside its run by the fake Bitwarden server delaying the import: the request
 * is in the fake's log (so the CLI holds the lock and waits for the answer) before it is applied.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { directoryA } from '@dirconn/test-support';
import {
  assertCliBuilt,
  configureDirectoryA,
  deleteEntries,
  expectExit,
  importCount,
  loginEnv,
  readData,
  startWorld,
  syncedMembers,
  waitUntil,
  type CliResult,
  type World,
} from './cli-harness.js';

/** Lock stale time of libs/storage (DEFAULT_LOCK_STALE_MS) plus the refresh interval and margin. */
const STALE_RECOVERY_DEADLINE_MS = 15_000 + 5_000 + 5_000;

describe('dirconn e2e: one process at a time', () => {
  let world: World;
  let scope: string;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('lock', { env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
    await configureDirectoryA(world);
    await world.cli.ok(['login'], { env: loginEnv(world.fake) });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('a second sync while the first holds the data directory fails fast with exit 7', async () => {
    const { cli, fake } = world;
    // Long enough for two more CLI runs to start and fail even on a loaded machine.
    fake.delay('import', 6000);
    const first = cli.spawn(['sync']);
    // The import request has arrived: the first sync is inside its run, holding the lock.
    await waitUntil('the first sync posts its import', () => importCount(fake) === 1);

    const second = await cli.run(['sync']);
    expectExit(second, 7);
    expect(second.durationMs).toBeLessThan(2500);
    expect(second.stderr).toMatch(/The dirconn data directory .* is in use by another dirconn process \(pid (\d+), "sync"/);
    expect(second.stderr).toContain(`pid ${first.pid},`);
    const secondJson = expectExit(await cli.run(['--json', 'plan']), 7);
    expect(secondJson.json).toMatchObject({ error: { code: 'store.locked', hint: expect.stringMatching(/Wait for it to finish/) } });

    // Reading commands do not need the lock.
    expectExit(await cli.run(['config', 'sync.users']), 0);

    const firstResult = await first.exited;
    expectExit(firstResult, 0);
    expect(importCount(fake)).toBe(1);
    expect(syncedMembers(fake).size).toBe(20);
    const state = Object.entries(readData(world.dataDir).state);
    expect(state).toHaveLength(1);
    scope = state[0]![0];
    expect(state[0]![1].syncedUsers).toHaveLength(20);
  });

  it('a sync killed during its import leaves a readable store; the stale lock is recovered and a later sync works', async () => {
    const { cli, fake, slapd } = world;
    // Something to post: a user leaves (within the removal limit).
    const leaver = directoryA.users.find((u) => u.cn === 'Loella Mak')!;
    const restore = await deleteEntries(slapd, [leaver.dn]);
    try {
      const stateBefore = readData(world.dataDir).state[scope];
      const imports = importCount(fake);
      fake.delay('import', 1500);
      const victim = cli.spawn(['sync']);
      await waitUntil('the sync posts its import', () => importCount(fake) === imports + 1);
      victim.kill('SIGKILL');
      const killed = await victim.exited;
      expect(killed.signal).toBe('SIGKILL');

      // The store is readable and unchanged by the killed run.
      const list = expectExit(await cli.run(['config']), 0);
      expect(list.stdout).toContain('ldap.hostname');
      const data = readData(world.dataDir); // parses
      expect(data.state[scope]).toEqual(stateBefore);

      // The lock is still there, held by a process that no longer runs.
      const locked = expectExit(await cli.run(['sync']), 7);
      expect(locked.stderr).toContain(`pid ${victim.pid}, "sync"`);
      expect(locked.stderr).toMatch(/which no longer runs/);

      // Recovered once stale; the next sync completes and saves its state.
      const started = Date.now();
      let result: CliResult;
      for (;;) {
        result = await cli.run(['--json', 'sync']);
        if (result.code !== 7 || Date.now() - started > STALE_RECOVERY_DEADLINE_MS) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expectExit(result, 0);
      // The fake applied the killed run's import after its delay; this run re-sent it or found it done.
      expect(fake.member(leaver.email)).toBeUndefined();
      expect(syncedMembers(fake).size).toBe(19);
      const after = readData(world.dataDir).state[scope]!;
      expect(after.syncedUsers).toHaveLength(19);
      expect(after.lastSyncHash).not.toBe(stateBefore?.lastSyncHash);
      // The removal was sent as a deleted entry, which the next request no longer carries: that one
      // posts once more (a no-op for the organization); from then on nothing is posted.
      await cli.ok(['sync']);
      expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
      expect(syncedMembers(fake).size).toBe(19);
    } finally {
      await restore();
    }
  }, 60_000);

  it('SIGTERM (systemd stop, docker stop) cancels a running sync cleanly: exit 130, nothing posted, the lock released at once', async () => {
    const { cli, fake } = world;
    const imports = importCount(fake);
    const membersReads = fake.requests({ route: 'members' }).length;
    fake.delay('members', 8000, { times: 1 });
    const running = cli.spawn(['sync', '--force']);
    await waitUntil('the sync reads the organization', () => fake.requests({ route: 'members' }).length > membersReads);
    running.kill('SIGTERM');
    const stopped = await running.exited;
    expect(stopped.signal).toBeNull();
    expect(stopped.code).toBe(130);
    expect(stopped.durationMs).toBeLessThan(8000);
    expect(importCount(fake)).toBe(imports);
    // No stale lock to wait out: the next run takes the store straight away.
    const next = await cli.run(['plan']);
    expect(next.code).not.toBe(7);
  }, 60_000);
});
