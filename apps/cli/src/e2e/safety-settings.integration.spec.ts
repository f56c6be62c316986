/**
 * Issue #9 items 1–3 end to end, with the BUILT CLI, a real slapd (directory A) and the fake
 * Bitwarden server:
 *
 * 1. a changed `sync.memberAttribute` empties every group: exit 6, nothing posted; allowed once, posted;
 * 2. the synced list belongs to the organization: after `ldap.hostname` 127.0.0.1 → localhost (a new
 *    directory identity) and 10 users deleted, the run stops naming them; within the limit they go;
 * 3. overwriteExisting with 20 unknown organization members and the organization unreadable: a small
 *    `--allow-removals` does not unlock the unknown count (exit 6, nothing posted); `all` does.
 *
 * Each test gets its own organization and data directory (a copy of a configured template).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { directoryA, type FakeMemberSeed, type FakeOrganization } from '@dirconn/test-support';
import {
  assertCliBuilt,
  Cli,
  configureDirectoryA,
  deleteEntries,
  expectExit,
  groupMembership,
  importCount,
  loginEnv,
  readData,
  startWorld,
  syncedMembers,
  type World,
} from './cli-harness.js';

interface StopJson {
  error: {
    code: string;
    message: string;
    hint: string;
    details: { checks: { rule: string; override?: string }[]; removals: { externalId: string; email: string }[] };
  };
}

describe('dirconn e2e: safety, part 2 (issue #9)', () => {
  let world: World;
  let template: string;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('safety2', { env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
    await configureDirectoryA(world);
    template = world.dataDir;
  });
  afterAll(async () => {
    await world?.close();
  });

  /** A new organization with a confirmed Owner (plus `members`), a data dir from the template, logged in. */
  async function loggedIn(name: string, members: FakeMemberSeed[] = []): Promise<{ cli: Cli; org: FakeOrganization; dataDir: string }> {
    const org = world.fake.addOrganization({ name });
    for (const seed of [{ email: 'owner@example.com', name: 'Owner', type: 0, status: 2 } as FakeMemberSeed, ...members]) world.fake.addMember(seed, org.id);
    const dataDir = world.tempDir(name, template);
    const cli = world.cliFor(dataDir);
    await cli.ok(['login'], { env: loginEnv(world.fake, org) });
    return { cli, org, dataDir };
  }

  function orgPicture(orgId: string) {
    return {
      members: world.fake
        .members(orgId)
        .map((m) => `${m.id} ${m.email} ${m.externalId ?? '-'} ${m.type} ${m.status}`)
        .sort(),
      groups: groupMembership(world.fake, orgId),
    };
  }

  it('1: a memberAttribute no group has empties every group: exit 6, nothing posted; allowed once, posted', async () => {
    const { cli, org, dataDir } = await loggedIn('member-attribute');
    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced' });
    const before = groupMembership(world.fake, org.id);
    const memberships = [...before.values()].reduce((n, ids) => n + ids.length, 0);
    expect(memberships).toBeGreaterThan(0);

    await cli.ok(['config', 'sync.memberAttribute', 'uniqueMember']);
    const picture = orgPicture(org.id);
    const imports = importCount(world.fake);
    const state = readData(dataDir).state;

    const stop = expectExit(await cli.run(['sync']), 6);
    expect(stop.stderr).toMatch(/Safety stop: nothing was sent to Bitwarden/);
    expect(stop.stderr).toContain(`groups read is empty, but they had ${memberships} memberships`);
    expect(stop.stderr).toMatch(/--allow-empty/);
    const json = (expectExit(await cli.run(['--json', 'sync']), 6).json as StopJson).error;
    expect(json.code).toBe('sync.safety-stop');
    expect(json.details.checks.map((c) => c.rule)).toContain('empty-groups');

    // `plan` shows the groups that would lose their members.
    const plan = expectExit(await cli.run(['plan']), 0);
    expect(plan.stdout).toContain('Groups losing members:');
    for (const [name, ids] of before) if (ids.length > 0) expect(plan.stdout).toMatch(new RegExp(`${name}\\s+${ids.length}\\s+-${ids.length}\\s+emptied`));

    expect(importCount(world.fake)).toBe(imports);
    expect(orgPicture(org.id)).toEqual(picture);
    expect(readData(dataDir).state).toEqual(state);

    // Allowed once: posted, and the groups are emptied as the directory now says.
    const allowed = await cli.ok(['--json', 'sync', '--allow-empty', '--allow-membership-removals', String(memberships)]);
    expect(allowed.json).toMatchObject({ outcome: 'synced', requestsPosted: 1, summary: { membershipRemovals: memberships } });
    expect(importCount(world.fake)).toBe(imports + 1);
    for (const ids of groupMembership(world.fake, org.id).values()) expect(ids).toEqual([]);
    // Only for one run: the same read passes now that the groups are empty on both sides.
    expect((await cli.ok(['--json', 'sync', '--force'])).json).toMatchObject({ outcome: 'unchanged' });
  });

  it('2: after a hostname change (127.0.0.1 → localhost) 10 deleted users are still seen: exit 6 naming them; within the limit, removed', async () => {
    const { cli, org, dataDir } = await loggedIn('hostname-change');
    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced' });
    expect(syncedMembers(world.fake, org.id).size).toBe(20);
    // One state for the organization, whatever the directory settings.
    expect(Object.keys(readData(dataDir).state)).toEqual([`${org.id}@${world.fake.apiUrl}`]);

    await cli.ok(['config', 'ldap.hostname', 'localhost']);
    const leavers = directoryA.users.slice(0, 10);
    const restore = await deleteEntries(world.slapd, leavers.map((u) => u.dn));
    try {
      const imports = importCount(world.fake);
      const stop = expectExit(await cli.run(['sync']), 6);
      expect(stop.stderr).toMatch(/would remove 10 members, more than the limit of 5/);
      for (const leaver of leavers) expect(stop.stderr).toContain(leaver.email.toLowerCase());
      const json = (expectExit(await cli.run(['--json', 'sync']), 6).json as StopJson).error;
      expect(new Set(json.details.removals.map((r) => r.externalId))).toEqual(new Set(leavers.map((u) => u.dn)));
      expect(importCount(world.fake)).toBe(imports);
      expect(syncedMembers(world.fake, org.id).size).toBe(20);

      // Within the limit: removed.
      await cli.ok(['config', 'sync.maxRemovals', '10']);
      const synced = await cli.ok(['--json', 'sync']);
      expect(synced.json).toMatchObject({ outcome: 'synced', summary: { removals: 10 } });
      for (const leaver of leavers) expect(world.fake.member(leaver.email, org.id)).toBeUndefined();
      expect(syncedMembers(world.fake, org.id).size).toBe(10);
    } finally {
      await restore();
    }
  });

  it('3: overwriteExisting with 20 unknown members and no organization read: --allow-removals 1 stops (exit 6, nothing posted); "all" goes through', async () => {
    const unknown: FakeMemberSeed[] = Array.from({ length: 20 }, (_, i) => ({
      email: `unknown${i}@example.com`,
      externalId: `unknown-${i}`,
      type: 2,
      status: 2,
      name: `Unknown ${i}`,
    }));
    const { cli, org, dataDir } = await loggedIn('unknown-count', unknown);
    await cli.ok(['config', 'sync.overwriteExisting', 'true']);
    // The organization cannot be read (as on Vaultwarden): the plan is the directory-side view.
    const unreadable = world.fake.inject({ route: 'members', times: Infinity, action: { kind: 'status', status: 404 } });
    try {
      const picture = orgPicture(org.id);
      const imports = importCount(world.fake);
      const state = readData(dataDir).state;

      const stop = expectExit(await cli.run(['sync', '--allow-removals', '1']), 6);
      expect(stop.stderr).toMatch(/The number of removals is unknown/);
      expect(stop.stderr).toMatch(/--allow-removals all/);
      expect(stop.stderr).not.toMatch(/within the limit/);
      const json = (expectExit(await cli.run(['--json', 'sync', '--allow-removals', '1000']), 6).json as StopJson).error;
      expect(json.details.checks.find((c) => c.rule === 'max-removals')?.override).toBe('--allow-removals all');

      expect(importCount(world.fake)).toBe(imports);
      expect(orgPicture(org.id)).toEqual(picture);
      expect(readData(dataDir).state).toEqual(state);

      const allowed = await cli.ok(['--json', 'sync', '--allow-removals', 'all']);
      expect(allowed.json).toMatchObject({ outcome: 'synced', orgView: 'directory-only' });
      for (const seed of unknown) expect(world.fake.member(seed.email, org.id)).toBeUndefined();
      expect(syncedMembers(world.fake, org.id).size).toBe(20);
    } finally {
      unreadable.times = 0;
    }
  });
});
