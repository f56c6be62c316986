/**
 * The safety promises end to end, with the BUILT CLI, a real slapd (directory A) and the fake
 * Bitwarden server: mass deletions are refused (exit 6, nothing posted) and allowed once with
 * --allow-removals; a vanished user within the limit is removed (or not, with removeVanished false);
 * Owners are never removed; `plan` and `sync` agree; a saved plan is applied only while nothing
 * changed; an empty read is refused; an email change is reported, not re-invited.
 *
 * One slapd and one fake for the file. Each test gets its own organization in the fake and its own
 * data directory (a copy of a template configured once through the CLI), logs in and syncs once;
 * directory changes are undone in `finally`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { directoryA, type FakeMemberSeed, type FakeOrganization } from '@dirconn/test-support';
import {
  addUser,
  assertCliBuilt,
  Cli,
  configureDirectoryA,
  deleteEntries,
  expectExit,
  groupMembership,
  importCount,
  loginEnv,
  readData,
  readDataText,
  replaceAttribute,
  startWorld,
  syncedMembers,
  type World,
} from './cli-harness.js';

interface PlanJson {
  changes: { kind: string; externalId: string; email?: string; group?: string; members?: string[]; reason: string }[];
  summary: { invites: number; removals: number; usersInDirectory: number };
  safety: { ok: boolean; removalLimit: number; checks: { rule: string; passed: boolean; message: string; override?: string }[] };
  requests: { members: { externalId: string; email: string; deleted: boolean }[] }[];
}

interface SafetyStopJson {
  error: { code: string; message: string; hint: string; details: { checks: { rule: string }[]; removals: { externalId: string; email: string }[] } };
}

const user = (cn: string) => {
  const found = directoryA.users.find((u) => u.cn === cn);
  if (!found) throw new Error(`no fixture user ${cn}`);
  return found;
};

describe('dirconn e2e: safety', () => {
  let world: World;
  let template: string;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('safety', { env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
    await configureDirectoryA(world);
    template = world.dataDir;
  });
  afterAll(async () => {
    await world?.close();
  });

  /** A new organization (optionally seeded), a data dir from the template, login and a first sync. */
  async function syncedOrg(name: string, members: FakeMemberSeed[] = []): Promise<{ cli: Cli; org: FakeOrganization; dataDir: string }> {
    const org = world.fake.addOrganization({ name });
    // The server refuses imports into an organization without a confirmed Owner.
    for (const seed of [{ email: 'owner@example.com', name: 'Owner', type: 0, status: 2 } as FakeMemberSeed, ...members]) world.fake.addMember(seed, org.id);
    const dataDir = world.tempDir(name, template);
    const cli = world.cliFor(dataDir);
    await cli.ok(['login'], { env: loginEnv(world.fake, org) });
    const first = await cli.ok(['--json', 'sync']);
    expect(first.json).toMatchObject({ outcome: 'synced' });
    expect(syncedMembers(world.fake, org.id).size).toBe(20);
    return { cli, org, dataDir };
  }

  /** A comparable picture of an organization's members and groups. */
  function orgPicture(orgId: string) {
    return {
      members: world.fake
        .members(orgId)
        .map((m) => `${m.id} ${m.email} ${m.externalId ?? '-'} ${m.type} ${m.status}`)
        .sort(),
      groups: groupMembership(world.fake, orgId),
    };
  }

  it('refuses a mass deletion (exit 6, lists who, posts nothing); --allow-removals lets it through once', async () => {
    const { cli, org, dataDir } = await syncedOrg('mass-deletion');
    const leavers = ['Roland Dyke', 'Charin Goulfine', 'Angelle Guarino', 'Odessa Brannigan', 'Tobias Wrenfield', 'Ilse Marchetti'].map(user);
    const restore = await deleteEntries(world.slapd, leavers.map((u) => u.dn));
    try {
      const picture = orgPicture(org.id);
      const memberIds = new Map(world.fake.members(org.id).map((m) => [m.email, m.id]));
      const imports = importCount(world.fake);
      const state = readData(dataDir).state;

      const stop = expectExit(await cli.run(['sync']), 6);
      expect(stop.stderr).toMatch(/Safety stop: nothing was sent to Bitwarden/);
      expect(stop.stderr).toMatch(/would remove 6 members, more than the limit of 5 \(max\(5, 5% of 20 synced members\)\)/);
      for (const leaver of leavers) expect(stop.stderr).toContain(leaver.email);
      expect(stop.stderr).toMatch(/run once with --allow-removals 6\b/);
      expect(stop.stderr).not.toMatch(/--allow-removals \d+ --allow-removals/);

      const json = expectExit(await cli.run(['--json', 'sync']), 6);
      const error = (json.json as SafetyStopJson).error;
      expect(error.code).toBe('sync.safety-stop');
      expect(new Set(error.details.removals.map((r) => r.externalId))).toEqual(new Set(leavers.map((u) => u.dn)));
      expect(error.details.checks.map((c) => c.rule).sort()).toEqual(['max-removals', 'user-count-drop']);

      expect(importCount(world.fake)).toBe(imports);
      expect(orgPicture(org.id)).toEqual(picture);
      expect(readData(dataDir).state).toEqual(state);
      const report = (await cli.ok(['--json', 'report', '--last'])).json;
      expect(report).toMatchObject({ outcome: 'safety-stop', requestsPosted: 0, summary: { removals: 6 }, safety: { ok: false }, error: { code: 'sync.safety-stop' } });

      // An allowance below the need changes nothing; one above it goes through.
      expectExit(await cli.run(['sync', '--allow-removals', '5']), 6);
      expect(importCount(world.fake)).toBe(imports);
      const allowed = await cli.ok(['--json', 'sync', '--allow-removals', '10']);
      expect(allowed.json).toMatchObject({ outcome: 'synced', requestsPosted: 1, summary: { removals: 6 } });
      for (const leaver of leavers) expect(world.fake.member(leaver.email, org.id)).toBeUndefined();
      expect(syncedMembers(world.fake, org.id).size).toBe(14);
      const removedIds = world.fake
        .events(org.id)
        .filter((e) => e.type === 1503)
        .map((e) => e.memberId)
        .sort();
      expect(removedIds).toEqual(leavers.map((u) => memberIds.get(u.email)).sort());
      // The allowance was for one run only.
      expect(readData(dataDir).config.sync['maxRemovals']).toBe(5);
    } finally {
      await restore();
    }
  });

  it('removes a vanished user within the limit (sent as deleted); keeps them with sync.removeVanished false', async () => {
    const { cli, org } = await syncedOrg('vanished');
    const leaver = user('Kasimir Albescu');
    const restore = await deleteEntries(world.slapd, [leaver.dn]);
    const other = user('Priya Okonkwo');
    let restoreOther: (() => Promise<void>) | undefined;
    try {
      const imports = importCount(world.fake);
      const r = await cli.ok(['--json', 'sync']);
      expect(r.json).toMatchObject({ outcome: 'synced', summary: { removals: 1 } });
      const sent = world.fake.requests({ route: 'import' }).slice(imports);
      expect(sent).toHaveLength(1);
      const body = sent[0]!.body as { members: { externalId: string; email: string; deleted: boolean }[] };
      expect(body.members.find((m) => m.externalId === leaver.dn)).toEqual(expect.objectContaining({ email: leaver.email, deleted: true }));
      expect(body.members.filter((m) => m.deleted)).toHaveLength(1);
      expect(world.fake.member(leaver.email, org.id)).toBeUndefined();
      expect(syncedMembers(world.fake, org.id).size).toBe(19);

      await cli.ok(['config', 'sync.removeVanished', 'false']);
      restoreOther = await deleteEntries(world.slapd, [other.dn]);
      const plan = (await cli.ok(['--json', 'plan'])).json as PlanJson;
      expect(plan.changes.filter((c) => c.kind === 'remove')).toEqual([]);
      const kept = await cli.ok(['--json', 'sync']);
      expect(kept.json).toMatchObject({ summary: { removals: 0 } });
      expect(world.fake.member(other.email, org.id)?.externalId).toBe(other.dn);
      for (const request of world.fake.requests({ route: 'import' }).slice(imports + 1)) {
        const members = (request.body as { members: { externalId: string; deleted: boolean }[] }).members;
        expect(members.some((m) => m.externalId === other.dn)).toBe(false);
      }
    } finally {
      await restoreOther?.();
      await restore();
    }
  });

  it('never removes an Owner: a vanished Owner is a "skip" in the plan and is still there after the sync', async () => {
    const boss = user('Angus Merizzi');
    const { cli, org } = await syncedOrg('owner', [{ email: boss.email, externalId: boss.dn, type: 0, status: 2, name: 'Angus (Owner)' }]);
    expect(world.fake.members(org.id).filter((m) => m.externalId === boss.dn)).toHaveLength(1);
    const restore = await deleteEntries(world.slapd, [boss.dn]);
    try {
      const plan = (await cli.ok(['--json', 'plan'])).json as PlanJson;
      const bossChanges = plan.changes.filter((c) => c.externalId === boss.dn && c.kind !== 'group-member-remove');
      expect(bossChanges).toEqual([expect.objectContaining({ kind: 'skip', email: boss.email, reason: expect.stringMatching(/^owner is protected/) })]);
      expect(plan.changes.filter((c) => c.kind === 'remove')).toEqual([]);
      expect(plan.summary.removals).toBe(0);
      // Sent as deleted (the server itself never removes an Owner), and still a member afterwards.
      const sent = plan.requests.flatMap((r) => r.members).find((m) => m.externalId === boss.dn);
      expect(sent).toMatchObject({ deleted: true });
      const human = await cli.ok(['plan']);
      expect(human.stdout).toMatch(/skip\s+merizzia@\S+\s+owner is protected/);

      expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced', summary: { removals: 0 } });
      const owner = world.fake.member(boss.email, org.id);
      expect(owner).toMatchObject({ externalId: boss.dn, type: 0, status: 2 });
      expect(world.fake.events(org.id).filter((e) => e.type === 1503)).toEqual([]);
    } finally {
      await restore();
    }
  });

  it('plan and sync agree exactly; a saved plan applies only while neither the directory nor the organization changed', async () => {
    const { cli, org, dataDir } = await syncedOrg('plan-agree');
    const leavers = [user('Shiela Harada'), user('Loella Mak')]; // members of Red Team / Blue Team
    const restore = await deleteEntries(world.slapd, leavers.map((u) => u.dn));
    const newcomer = await addUser(world.slapd, { cn: 'Nadia Newcomer', ou: 'Peons', uid: 'NewcomN', mail: 'Nadia.Newcomer@Example.com' });
    const cleanups: (() => Promise<void>)[] = [restore, newcomer.remove];
    try {
      const plan = (await cli.ok(['--json', 'plan'])).json as PlanJson;
      const membersBefore = syncedMembers(world.fake, org.id);
      const groupsBefore = groupMembership(world.fake, org.id);
      const r = await cli.ok(['--json', 'sync']);
      expect(r.json).toMatchObject({ outcome: 'synced' });
      const membersAfter = syncedMembers(world.fake, org.id);
      const groupsAfter = groupMembership(world.fake, org.id);

      const kinds = (kind: string) => new Set(plan.changes.filter((c) => c.kind === kind).map((c) => c.externalId));
      const removed = new Set([...membersBefore.keys()].filter((id) => !membersAfter.has(id)));
      const invited = new Set([...membersAfter.keys()].filter((id) => !membersBefore.has(id)));
      expect(kinds('remove')).toEqual(removed);
      expect(kinds('invite')).toEqual(invited);
      expect(removed).toEqual(new Set(leavers.map((u) => u.dn)));
      expect(invited).toEqual(new Set([newcomer.dn]));
      expect(membersAfter.get(newcomer.dn)).toBe('nadia.newcomer@example.com');
      // Membership changes too (the leavers leave their groups).
      const membershipDiff = new Set<string>();
      for (const [name, after] of groupsAfter) {
        const before = groupsBefore.get(name) ?? [];
        for (const id of before) if (!after.includes(id)) membershipDiff.add(`-${name}:${id}`);
        for (const id of after) if (!before.includes(id)) membershipDiff.add(`+${name}:${id}`);
      }
      // Membership changes are aggregated per group: `members` lists the emails (or externalIds).
      const idByEmail = new Map<string, string>();
      for (const [id, email] of [...membersBefore, ...membersAfter]) idByEmail.set(email, id);
      const planned = new Set(
        plan.changes
          .filter((c) => c.kind === 'group-member-add' || c.kind === 'group-member-remove')
          .flatMap((c) => (c.members ?? [c.externalId]).map((m) => `${c.kind === 'group-member-add' ? '+' : '-'}${c.group}:${idByEmail.get(m) ?? m}`)),
      );
      // A removed member leaves its groups with the removal itself (not a separate change in the plan).
      const expectedDiff = new Set([...planned, ...leavers.flatMap((u) => directoryA.groups.filter((g) => g.memberDns.includes(u.dn)).map((g) => `-${g.name}:${u.dn}`))]);
      expect(membershipDiff).toEqual(expectedDiff);

      // plan --output + sync --plan applies the reviewed plan.
      const extra = await addUser(world.slapd, { cn: 'Oskar Later', ou: 'Peons', uid: 'LaterO', mail: 'oskar.later@example.com' });
      cleanups.push(extra.remove);
      const planFile = `${world.tempDir('plan-file')}/p.json`;
      await cli.ok(['plan', '--output', planFile]);
      const imports = importCount(world.fake);
      const applied = await cli.ok(['--json', 'sync', '--plan', planFile]);
      expect(applied.json).toMatchObject({ outcome: 'synced', summary: { invites: 1 } });
      expect(importCount(world.fake)).toBe(imports + 1);
      expect(world.fake.member('oskar.later@example.com', org.id)?.externalId).toBe(extra.dn);

      // The directory changes after the plan: refused, nothing sent.
      const stalePlan = `${world.tempDir('plan-file')}/p.json`;
      const third = await addUser(world.slapd, { cn: 'Pia Third', ou: 'Peons', uid: 'ThirdP', mail: 'pia.third@example.com' });
      cleanups.push(third.remove);
      await cli.ok(['plan', '--output', stalePlan]);
      const undoMail = await replaceAttribute(world.slapd, user('Jerome De Los').dn, 'mail', 'jerome.new@example.com');
      cleanups.push(undoMail);
      const dataBefore = readDataText(dataDir);
      const staleDir = expectExit(await cli.run(['sync', '--plan', stalePlan]), 6);
      expect(staleDir.stderr).toMatch(/The saved plan is out of date: the directory \(users, groups or memberships\)/);
      expect(staleDir.stderr).not.toMatch(/the organization \(members or groups\)/);
      expect(importCount(world.fake)).toBe(imports + 1);
      expect(world.fake.member('pia.third@example.com', org.id)).toBeUndefined();
      expect(readDataText(dataDir)).toBe(dataBefore);
      await undoMail();
      cleanups.pop();

      // The organization changes after the plan (a member added by hand): refused too.
      const orgPlan = `${world.tempDir('plan-file')}/p.json`;
      await cli.ok(['plan', '--output', orgPlan]);
      world.fake.addMember({ email: 'added.by.hand@example.com', type: 2, status: 2 }, org.id);
      const staleOrg = expectExit(await cli.run(['--json', 'sync', '--plan', orgPlan]), 6);
      expect(staleOrg.json).toMatchObject({ error: { code: 'sync.plan-stale', message: expect.stringMatching(/the organization \(members or groups\)/) } });
      expect((staleOrg.json as { error: { message: string } }).error.message).not.toMatch(/the directory/);
      expect(importCount(world.fake)).toBe(imports + 1);
      // A fresh plan applies.
      await cli.ok(['plan', '--output', orgPlan]);
      await cli.ok(['sync', '--plan', orgPlan]);
      expect(world.fake.member('pia.third@example.com', org.id)?.externalId).toBe(third.dn);
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup();
    }
  });

  it('refuses an empty read (exit 6); --allow-empty lifts that check but the removal limit still holds', async () => {
    const { cli, org, dataDir } = await syncedOrg('empty-read');
    expect(directoryA.usersPerOu['Accounting']).toBe(0);
    await cli.ok(['config', 'sync.userPath', 'ou=Accounting']); // exists, no users
    const picture = orgPicture(org.id);
    const imports = importCount(world.fake);
    const state = readData(dataDir).state;

    const stop = expectExit(await cli.run(['--json', 'sync']), 6);
    const error = (stop.json as SafetyStopJson).error;
    expect(error.code).toBe('sync.safety-stop');
    expect(error.message).toMatch(/The directory returned no active users but the last sync had 20/);
    expect(error.details.checks.map((c) => c.rule)).toContain('empty-read');
    expect(error.hint).toContain('--allow-empty');

    const allowed = expectExit(await cli.run(['--json', 'sync', '--allow-empty']), 6);
    const allowedError = (allowed.json as SafetyStopJson).error;
    expect(allowedError.details.checks.map((c) => c.rule)).not.toContain('empty-read');
    expect(allowedError.details.checks.map((c) => c.rule)).toContain('max-removals');
    expect(allowedError.message).toMatch(/would remove 20 members, more than the limit of 5/);

    expect(importCount(world.fake)).toBe(imports);
    expect(orgPicture(org.id)).toEqual(picture);
    expect(readData(dataDir).state).toEqual(state);
    expect((await cli.ok(['--json', 'report', '--last'])).json).toMatchObject({ outcome: 'safety-stop', requestsPosted: 0 });
  });

  it('reports an email change for the same externalId and invites no duplicate', async () => {
    const { cli, org } = await syncedOrg('email-change');
    const person = user('Mireille Santoro');
    const undo = await replaceAttribute(world.slapd, person.dn, 'mail', 'Mireille.Santoro@NewDomain.example');
    try {
      const plan = (await cli.ok(['--json', 'plan'])).json as PlanJson;
      const mine = plan.changes.filter((c) => c.externalId === person.dn);
      expect(mine).toEqual([expect.objectContaining({ kind: 'email-change', email: 'mireille.santoro@newdomain.example' })]);
      expect(mine[0]!.reason).toContain(person.email);
      expect(plan.changes.filter((c) => c.kind === 'invite')).toEqual([]);
      expect(plan.summary.invites).toBe(0);

      const membersBefore = world.fake.members(org.id).length;
      await cli.ok(['sync']);
      expect(world.fake.members(org.id)).toHaveLength(membersBefore);
      expect(world.fake.member('mireille.santoro@newdomain.example', org.id)).toBeUndefined();
      expect(world.fake.member(person.email, org.id)?.externalId).toBe(person.dn);
      expect(world.fake.events(org.id).filter((e) => e.type === 1503)).toEqual([]);
    } finally {
      await undo();
    }
  });
});
