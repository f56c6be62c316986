/**
 * The main job end to end, with the BUILT CLI as a child process: login → config → test → sync
 * against a real slapd (directory A) and the fake Bitwarden server; an unchanged second sync posts
 * nothing; clear-cache makes the next one post again. Also: `--json` prints exactly one document on
 * stdout (progress and logs on stderr), `explain` and `report`.
 *
 * Secrets: DIRCONN_PLAINTEXT_SECRETS=true here (so no keychain is needed); the LDAP password is set
 * once with `config ldap.password --secretenv` and NOT given at run time, so the stored one is used.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { directoryA } from '@dirconn/test-support';
import {
  assertCliBuilt,
  configure,
  DIRECTORY_A_GROUP_SIZES,
  directoryASettings,
  expectExit,
  groupMembership,
  importCount,
  loginEnv,
  readData,
  startWorld,
  syncedMembers,
  type World,
} from './cli-harness.js';

interface TestJson {
  object: string;
  groups: { externalId: string; displayName: string; userIds: string[] }[];
  enabledUsers: { externalId: string; displayName: string }[];
  disabledUsers: unknown[];
  deletedUsers: unknown[];
}

const expectedMembers = new Map(directoryA.users.map((u) => [u.dn, u.email]));
const expectedGroups = new Map(directoryA.groups.map((g) => [g.name, [...g.memberDns].sort()]));
const miki = directoryA.users.find((u) => u.cn === 'Painterson Miki')!;
const doud = directoryA.users.find((u) => u.cn === 'Micaela Doud')!;

describe('dirconn e2e: main flow (login, config, test, sync) against slapd and the fake Bitwarden server', () => {
  let world: World;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('flow', { ldapPasswordInEnv: false, env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('logs in, configures every setting, tests, syncs; a second sync posts nothing; clear-cache makes the next one post', async () => {
    const { cli, fake, slapd } = world;

    await cli.ok(['config', 'server', fake.url]);
    const login = await cli.ok(['--json', 'login'], { env: loginEnv(fake) });
    expect(login.json).toMatchObject({ loggedIn: true, organizationId: fake.organization.id, server: `${fake.url}/api` });
    expect(readData(world.dataDir).auth).toEqual({ clientId: fake.clientId, organizationId: fake.organization.id });

    await cli.ok(['config', 'ldap.password', '--secretenv', 'E2E_LDAP_PASSWORD'], { env: { E2E_LDAP_PASSWORD: slapd.adminPassword } });
    const settings = directoryASettings(slapd);
    await configure(cli, settings);
    // ldap.rootPath was checked against the directory when set (the LDAP settings were complete).
    const rootPathRun = cli.transcript.find((r) => r.args[1] === 'ldap.rootPath');
    expect(rootPathRun?.stderr).toBe('');

    // Every key reads back as set (the list shows the LDAP settings of the chosen directory).
    const list = await cli.ok(['--json', 'config']);
    const shown = new Map((list.json as { settings: { key: string; value: unknown }[] }).settings.map((s) => [s.key, s.value]));
    for (const [key, value] of settings) expect([key, String(shown.get(key))]).toEqual([key, value]);
    expect(shown.get('ldap.password')).toBe('(set)');
    expect(shown.get('server')).toBe(fake.url);

    // test: the directory side; nothing is sent.
    const test = await cli.ok(['--json', 'test']);
    const t = test.json as TestJson;
    expect(t.object).toBe('test');
    expect(t.enabledUsers).toHaveLength(20);
    expect(new Set(t.enabledUsers.map((u) => u.externalId))).toEqual(new Set(expectedMembers.keys()));
    expect(t.disabledUsers).toEqual([]);
    expect(t.deletedUsers).toEqual([]);
    expect(Object.fromEntries(t.groups.map((g) => [g.displayName, g.userIds.length]))).toEqual(DIRECTORY_A_GROUP_SIZES);
    expect(DIRECTORY_A_GROUP_SIZES).toEqual({ 'Blue Team': 3, 'Red Team': 2, Cleaners: 0, 'DevOps Team': 3, 'Security Team': 2 });
    expect(importCount(fake)).toBe(0);

    // sync: 20 invitations with the DN as externalId and the lower-cased email, 5 groups.
    const sync = await cli.ok(['--json', 'sync']);
    expect(sync.json).toMatchObject({ outcome: 'synced', requestsPosted: 1, summary: { usersInDirectory: 20, groupsInDirectory: 5, invites: 20, removals: 0 } });
    expect(importCount(fake)).toBe(1);
    expect(syncedMembers(fake)).toEqual(expectedMembers);
    expect(directoryA.users.some((u) => u.mail !== u.email)).toBe(true); // the fixture has mixed-case mail values
    for (const m of fake.members().filter((x) => x.externalId !== null)) {
      expect({ email: m.email, type: m.type, status: m.status }).toEqual({ email: m.email.toLowerCase(), type: 2, status: 0 });
    }
    expect(fake.members()).toHaveLength(21); // + the seeded Owner
    expect(groupMembership(fake)).toEqual(expectedGroups);
    expect(new Map(fake.groups().map((g) => [g.name, g.externalId]))).toEqual(new Map(directoryA.groups.map((g) => [g.name, g.dn])));

    const report = await cli.ok(['--json', 'report', '--last']);
    expect(report.json).toMatchObject({
      command: 'sync',
      outcome: 'synced',
      requestsPosted: 1,
      organizationId: fake.organization.id,
      summary: { usersInDirectory: 20, groupsInDirectory: 5, invites: 20, removals: 0, requests: 1 },
      error: null,
    });
    const lastSync = await cli.ok(['last-sync', 'users']);
    expect(Number.isNaN(Date.parse(lastSync.stdout.trim()))).toBe(false);

    // A second sync with nothing changed posts nothing.
    const again = await cli.ok(['--json', 'sync']);
    expect(again.json).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
    expect(importCount(fake)).toBe(1);
    expect((await cli.ok(['--json', 'report', '--last'])).json).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });

    // clear-cache: the next sync posts again (and changes nothing in the organization).
    await cli.ok(['clear-cache']);
    const third = await cli.ok(['--json', 'sync']);
    expect(third.json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    expect(importCount(fake)).toBe(2);
    expect(syncedMembers(fake)).toEqual(expectedMembers);
    expect(groupMembership(fake)).toEqual(expectedGroups);
    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
    expect(importCount(fake)).toBe(2);

    // Drift: someone empties a group by hand. The directory is unchanged (same hash), so a sync within
    // sync.fullSyncIntervalHours reads no group members (token, members, groups: issue #14) and posts
    // nothing; the periodic full check (interval 0 here: every run) reads them, finds the drift and
    // posts again to restore the group.
    const blue = fake.groups().find((g) => g.name === 'Blue Team');
    expect(blue?.memberIds.length).toBe(3);
    if (blue) blue.memberIds = [];
    const before = fake.requests().length;
    const cheap = await cli.ok(['--json', 'sync']);
    expect(cheap.json).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
    expect(fake.requests().slice(before).map((r) => r.route).filter((r) => r !== 'token')).toEqual(['members', 'groups']);
    await cli.ok(['config', 'sync.fullSyncIntervalHours', '0']);
    const drift = await cli.ok(['--json', 'sync']);
    expect(drift.json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    expect((drift.json as { warnings: { code: string }[] }).warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['sync.drift']));
    expect(importCount(fake)).toBe(3);
    await cli.ok(['config', 'sync.fullSyncIntervalHours', '24']);
    expect(groupMembership(fake)).toEqual(expectedGroups);
  });

  it('--json prints exactly one JSON document on stdout for every command, success or error; logs stay on stderr', async () => {
    const { cli } = world;
    const successes: string[][] = [
      ['config'],
      ['config', 'sync.users'],
      ['config', 'ldap.password'],
      ['test'],
      ['plan'],
      ['sync', '--dry-run'],
      ['sync'],
      ['explain', miki.email],
      ['report', '--last'],
      ['report', '--limit', '3'],
      ['last-sync', 'groups'],
      ['data-file'],
    ];
    for (const args of successes) {
      const r = expectExit(await cli.run(['--json', ...args]), 0);
      expect([args, r.json === undefined ? 'not one JSON document' : r.json === null ? 'null' : typeof r.json]).toEqual([args, 'object']);
      expect([args, Object.keys(r.json as object)]).not.toEqual([args, ['error']]);
      expect(r.stderr).not.toMatch(/^\s*[{[]/m);
    }
    // The flag after the command works too.
    expect((await cli.ok(['last-sync', 'users', '--json'])).json).toMatchObject({ object: 'users' });

    // Debug logs (and progress) go to stderr; stdout still holds exactly the document.
    const verbose = await cli.ok(['--json', '--verbose', 'test']);
    expect(verbose.json).toMatchObject({ object: 'test' });
    expect(verbose.stderr).toMatch(/DEBUG ldap/);
    expect(verbose.stdout).not.toMatch(/DEBUG/);

    const errors: [string[], number, string][] = [
      [['config', 'no.such.key', 'x'], 2, 'usage'],
      [['config', 'sync.users', 'maybe'], 3, 'config.invalid'],
      [['sync', '--no-such-option'], 2, 'usage'],
      [['no-such-command'], 2, 'usage'],
      [['last-sync', 'everything'], 2, 'usage'],
      [['sync', '--plan', '/nonexistent/plan.json'], 2, 'usage'],
    ];
    for (const [args, code, errorCode] of errors) {
      const r = expectExit(await cli.run(['--json', ...args]), code);
      expect([args, r.json]).toEqual([args, { error: expect.objectContaining({ code: errorCode, message: expect.any(String), hint: expect.any(String) }) }]);
      expect(Object.keys(r.json as object)).toEqual(['error']);
    }
  });

  it('explain shows a user in scope with its groups, and says so for a user outside sync.userPath', async () => {
    const { cli } = world;
    const inScope = await cli.ok(['explain', miki.email]);
    expect(inScope.stdout).toContain(`Directory: found ${miki.dn}`);
    expect(inScope.stdout).toMatch(/Sync: user mikip@/);
    expect(inScope.stdout).toMatch(/Groups:\n(?:.*\n)*\s+Blue Team/);
    expect(inScope.stdout).toMatch(/\s+DevOps Team/);
    expect(inScope.stdout).toContain('Next sync: no change.');

    const json = (await cli.ok(['--json', 'explain', miki.email])).json as {
      directory: { found: boolean; checks: { passed: boolean }[] };
      sync: { found: boolean; user: { externalId: string; email: string }; groups: { name: string }[] };
    };
    expect(json.directory.found).toBe(true);
    expect(json.directory.checks.every((c) => c.passed)).toBe(true);
    expect(json.sync.user).toMatchObject({ externalId: miki.dn, email: miki.email });
    expect(json.sync.groups.map((g) => g.name).sort()).toEqual(['Blue Team', 'DevOps Team']);

    // Outside the user path (the path check is no; nothing is sent by explain).
    await cli.ok(['config', 'sync.userPath', 'ou=Human Resources']);
    try {
      const outside = await cli.ok(['explain', doud.email]);
      expect(outside.stdout).toContain(`Directory: found ${doud.dn}`);
      expect(outside.stdout).toMatch(/no\s+inside the user search base \(sync\.userPath\): .*is not under ou=Human Resources,dc=bitwarden,dc=com, so it is out of scope/);
      const outsideJson = (await cli.ok(['--json', 'explain', doud.email])).json as { directory: { checks: { check: string; passed: boolean }[] } };
      expect(outsideJson.directory.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual([expect.stringMatching(/sync\.userPath/)]);
    } finally {
      await cli.ok(['config', 'sync.userPath', 'null']);
    }
    expect(readData(world.dataDir).config.sync['userPath']).toBeNull();
  });
});
