/**
 * Active Directory end to end: the BUILT CLI (`apps/cli/bin/dirconn.js`) against a real Samba AD DC
 * (test-support samba.ts, LDAPS with its own CA) and the in-process fake Bitwarden server.
 *
 * - A first sync invites the AD users with objectGUID externalIds (prefix+suffix emails for users
 *   without mail, disabled users left out, nested groups flattened).
 * - In AD, a user is renamed and moved, another gets a new mail, one is disabled, group memberships
 *   change and one user is deleted; the next `sync` is a DELTA run (report readMode 'delta') that
 *   picks all of it up: membership in the org groups, the disabled and the deleted user removed
 *   (removeDisabled; event 1503), the renamed user kept (same member, no new invite), and the email
 *   change reported by `plan --json`.
 * - `sync.fullSyncIntervalHours 0` makes the next sync a full reconciliation (readMode 'full').
 * - Distinct errors in `test` and `sync` (exit code + message, nothing posted): wrong password (AD
 *   data 52e), locked account (775), untrusted DC certificate, a base DN of another domain; and a bind
 *   user that cannot see deleted users gets the warning exactly once while the sync works.
 *
 * Needs root, Samba (test-support/scripts/install-samba.sh) and a build (`npx tsc -b
 * tsconfig.check.json`). Only one Samba DC can run per machine: run with --runInBand. Seeds no
 * 5,000-member group (the provider's AD spec does that once for the suite).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { samba, sambaSeed, seedAd, startFakeBitwarden, startSambaDc } from '@dirconn/test-support';
import type { AdSeedInfo, FakeBitwarden, SambaDc } from '@dirconn/test-support';
import { assertCliBuilt, Cli, cleanEnv, cloneDataDir, describeRun, makeTempDir, readData, type CliResult } from './cli-harness.js';

let dc: SambaDc;
let seed: AdSeedInfo;
let fake: FakeBitwarden;
let dataDir: string;
let cli: Cli;
const tempDirs: string[] = [];

/** The run report of the last sync (`dirconn --json report --last`). */
interface ReportView {
  command: string;
  outcome: string;
  readMode: 'full' | 'delta' | null;
  requestsPosted: number;
  stats: Record<string, number>;
  warnings: { code: string; message: string }[];
}

interface PlanView {
  readMode: 'full' | 'delta';
  /** Membership changes: one per group listing `members` (emails), or one per member. */
  changes: { kind: string; externalId: string; email?: string; group?: string; members?: string[]; reason: string }[];
  warnings: { code: string; message: string }[];
}

const seeded = (key: string) => {
  const user = seed.usersByKey.get(key);
  if (!user) throw new Error(`no seeded user ${key}`);
  return user;
};
const group = (key: string) => {
  const g = seed.groups[key];
  if (!g) throw new Error(`no seeded group ${key}`);
  return g;
};

function expectCode(result: CliResult, code: number): CliResult {
  if (result.code !== code) throw new Error(`expected exit code ${code}\n${describeRun(result)}`);
  return result;
}

async function ok(c: Cli, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return expectCode(await c.run(args, { env, timeoutMs: 120_000 }), 0);
}

async function lastReport(c: Cli): Promise<ReportView> {
  return (await ok(c, ['--json', 'report', '--last'])).json as ReportView;
}

const imports = (): number => fake.requests({ route: 'import' }).length;
const memberByExternalId = (externalId: string) => fake.members().find((m) => m.externalId === externalId);
/** Org group name → sorted member externalIds. */
function orgGroups(): Map<string, string[]> {
  const byId = new Map(fake.members().map((m) => [m.id, m.externalId ?? m.email]));
  return new Map(fake.groups().map((g) => [g.name, g.memberIds.map((id) => byId.get(id) ?? id).sort()]));
}

/** A CLI on a copy of the main data directory (configured and logged in), with its own environment. */
function cliOnCopy(prefix: string, env: Record<string, string | undefined> = {}): Cli {
  const dir = cloneDataDir(dataDir, prefix);
  tempDirs.push(dir);
  return new Cli(cleanEnv({ DIRCONN_DATA_DIR: dir, DIRCONN_PLAINTEXT_SECRETS: 'true', DIRCONN_LDAP_PASSWORD: dc.adminPassword, ...env }));
}

beforeAll(async () => {
  assertCliBuilt();
  dc = await startSambaDc();
  seed = await seedAd(dc, { bigGroupSize: 0 });
  fake = await startFakeBitwarden();
  dataDir = makeTempDir('ad');
  tempDirs.push(dataDir);
  cli = new Cli(cleanEnv({ DIRCONN_DATA_DIR: dataDir, DIRCONN_PLAINTEXT_SECRETS: 'true', DIRCONN_LDAP_PASSWORD: dc.adminPassword }));
  // What an AD admin types: LDAPS with the private CA, DOMAIN\user, the whole domain for users (the
  // base DN as path; unset means CN=Users in AD mode), groups from OU=Groups, prefix+suffix emails.
  const settings: [string, string][] = [
    ['server', fake.url],
    ['directory', 'ldap'],
    ['ldap.ad', 'true'],
    ['ldap.hostname', '127.0.0.1'],
    ['ldap.ssl', 'true'],
    ['ldap.port', String(dc.ldapsPort)],
    ['ldap.sslCaPath', dc.caCertPath],
    ['ldap.rootPath', dc.baseDn],
    ['ldap.username', `${dc.domain}\\${dc.adminUser}`],
    ['sync.users', 'true'],
    ['sync.groups', 'true'],
    ['sync.userPath', dc.baseDn],
    ['sync.groupPath', 'OU=Groups'],
    ['sync.useEmailPrefixSuffix', 'true'],
    ['sync.emailSuffix', seed.emailSuffix],
    ['sync.removeDisabled', 'true'],
  ];
  for (const [key, value] of settings) await ok(cli, ['config', key, value]);
  await ok(cli, ['login'], { BW_CLIENTID: fake.clientId, BW_CLIENTSECRET: fake.apiKey });
}, 240_000);

afterAll(async () => {
  await fake?.close();
  await dc?.stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('Active Directory end to end (built CLI, Samba DC, fake Bitwarden)', () => {
  it('the first sync invites the AD users keyed by objectGUID, without the disabled ones, with nested groups flattened', async () => {
    await ok(cli, ['--json', 'sync']);
    const report = await lastReport(cli);
    expect(report).toMatchObject({ command: 'sync', outcome: 'synced', readMode: 'full', requestsPosted: 1 });
    for (const user of seed.users) {
      const member = memberByExternalId(user.objectGuid);
      if (user.disabled) expect(member).toBeUndefined();
      else expect(member?.email).toBe(user.expectedEmail);
    }
    // Users without mail got sAMAccountName + suffix.
    expect(memberByExternalId(seeded('victor').objectGuid)?.email).toBe(`victor.vance${seed.emailSuffix}`);
    const groups = orgGroups();
    expect(groups.get('GroupA')).toEqual(group('groupA').expectedUserKeys.map((k) => seeded(k).objectGuid).sort());
    expect(groups.get('CycleY')).toEqual(group('cycleY').expectedUserKeys.map((k) => seeded(k).objectGuid).sort());
    // A second sync right away has nothing to send.
    await ok(cli, ['sync']);
    expect(await lastReport(cli)).toMatchObject({ readMode: 'delta', requestsPosted: 0 });
  });

  it('a delta sync picks up a membership change, a disable, a rename and a delete, and plan reports the email change', async () => {
    const alice = seeded('alice');
    const aliceMemberId = memberByExternalId(alice.objectGuid)?.id;
    expect(aliceMemberId).toBeDefined();
    const invitesBefore = fake.events().filter((e) => e.type === 1500).length;

    // What happens in AD between two syncs.
    await sambaSeed.renameUser(dc, alice.dn, 'CN=Alice Renamed', seed.ous['sales']);
    await sambaSeed.setMail(dc, seeded('heidi').dn, 'Heidi.Married@dirconn.example');
    await sambaSeed.disableUser(dc, seeded('ivan').dn);
    await sambaSeed.addMember(dc, group('sales').dn, seeded('olivia').dn);
    await sambaSeed.removeMember(dc, group('engineering').dn, seeded('dave').dn);
    await sambaSeed.deleteUser(dc, seeded('judy').dn);

    // The plan (a delta read too) shows every change with its reason, the email change included.
    const plan = (await ok(cli, ['--json', 'plan'])).json as PlanView;
    expect(plan.readMode).toBe('delta');
    const change = (kind: string, externalId: string) => plan.changes.find((c) => c.kind === kind && c.externalId === externalId);
    const membership = (kind: string, groupName: string, key: string): boolean =>
      plan.changes.some(
        (c) => c.kind === kind && c.group === groupName && (c.externalId === seeded(key).objectGuid || c.email === seeded(key).expectedEmail || (c.members ?? []).includes(seeded(key).expectedEmail)),
      );
    expect(change('email-change', seeded('heidi').objectGuid)).toMatchObject({ email: 'heidi.married@dirconn.example' });
    expect(change('remove', seeded('ivan').objectGuid)?.reason).toMatch(/disabled/);
    expect(change('remove', seeded('judy').objectGuid)?.reason).toMatch(/deleted in directory/);
    expect(membership('group-member-add', 'Sales', 'olivia')).toBe(true);
    expect(membership('group-member-remove', 'Engineering', 'dave')).toBe(true);
    // The rename is no change at all for the organization (not an invite, not an identity change).
    expect(plan.changes.filter((c) => c.externalId === alice.objectGuid)).toEqual([]);

    const importsBefore = imports();
    await ok(cli, ['sync']);
    const report = await lastReport(cli);
    expect(report).toMatchObject({ outcome: 'synced', readMode: 'delta', requestsPosted: 1 });
    expect(imports()).toBe(importsBefore + 1);

    // Disabled and deleted users are gone from the organization (removed: event 1503).
    for (const key of ['ivan', 'judy']) {
      const externalId = seeded(key).objectGuid;
      expect(memberByExternalId(externalId)).toBeUndefined();
    }
    expect(fake.events().filter((e) => e.type === 1503).length).toBeGreaterThanOrEqual(2);
    // The renamed user is the same member: same id, same externalId, no new invitation.
    expect(memberByExternalId(alice.objectGuid)?.id).toBe(aliceMemberId);
    expect(fake.events().filter((e) => e.type === 1500).length).toBe(invitesBefore);
    // Memberships follow AD.
    const groups = orgGroups();
    expect(groups.get('Sales')).toContain(seeded('olivia').objectGuid);
    expect(groups.get('Sales')).not.toContain(seeded('judy').objectGuid);
    expect(groups.get('Engineering')).not.toContain(seeded('dave').objectGuid);
    expect(groups.get('Engineering')).toContain(alice.objectGuid);
    // The server never changes a member's email: the member keeps the old one (reported, not churned).
    expect(memberByExternalId(seeded('heidi').objectGuid)?.email).toBe(seeded('heidi').expectedEmail);
  });

  it('sync.fullSyncIntervalHours 0 makes every sync a full reconciliation', async () => {
    await ok(cli, ['config', 'sync.fullSyncIntervalHours', '0']);
    try {
      await ok(cli, ['sync']);
      expect((await lastReport(cli)).readMode).toBe('full');
    } finally {
      await ok(cli, ['config', 'sync.fullSyncIntervalHours', '24']);
    }
    await ok(cli, ['sync']);
    expect((await lastReport(cli)).readMode).toBe('delta');
  });
});

describe('Active Directory errors an admin can act on (test and sync, nothing posted)', () => {
  /**
   * Runs `test` and `sync` on `c`; both must fail with `exit` and a message matching `message`, post
   * nothing and leave the saved state (cursor, hash, last sync) untouched.
   */
  async function expectBothFail(c: Cli, exit: number, message: RegExp, env: Record<string, string | undefined> = {}): Promise<void> {
    const before = imports();
    const dir = c.env['DIRCONN_DATA_DIR'] ?? '';
    const stateBefore = JSON.stringify(readData(dir).state);
    for (const command of ['test', 'sync']) {
      const result = await c.run([command], { env, timeoutMs: 120_000 });
      expectCode(result, exit);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain(dc.adminPassword);
    }
    expect(imports()).toBe(before);
    expect(JSON.stringify(readData(dir).state)).toBe(stateBefore);
  }

  it('wrong password: exit 4, "the password is wrong (AD data 52e)"', async () => {
    await expectBothFail(cliOnCopy('ad-wrongpw', { DIRCONN_LDAP_PASSWORD: 'Not-The-Password-1!' }), 4, /rejected the bind as "DIRCONN\\Administrator": the password is wrong \(AD data 52e\)/);
  });

  it('untrusted DC certificate (no CA configured): exit 5, names ldap.sslCaPath', async () => {
    const c = cliOnCopy('ad-tls');
    await ok(c, ['config', 'ldap.sslCaPath', 'null']);
    await expectBothFail(c, 5, /TLS connection to 127\.0\.0\.1:636 failed: the server certificate cannot be verified[\s\S]*ldap\.sslCaPath/);
  });

  it('a base DN of another domain: exit 5, says it belongs to another domain', async () => {
    const c = cliOnCopy('ad-referral');
    // The location check refuses it (Samba answers noSuchObject where Windows would refer)…
    const refused = expectCode(await c.run(['config', 'ldap.rootPath', 'DC=other,DC=example']), 3);
    expect(refused.stderr).toMatch(/dc=other,dc=example is not on this server \(it holds DC=dirconn,DC=test.*\): another domain or forest\?/i);
    // … and when saved anyway, test and sync say which domain the DC serves.
    await ok(c, ['config', '--no-verify', 'ldap.rootPath', 'DC=other,DC=example']);
    await expectBothFail(c, 5, /dc=other,dc=example \(sync\.userPath\) is not in any naming context of the LDAP server 127\.0\.0\.1:636, which holds DC=dirconn,DC=test[\s\S]*belongs to another domain or forest/i);
  });

  it('locked account: exit 4, "the account is locked out (AD data 775)", distinct from a wrong password', async () => {
    const xena = seeded('xena');
    const c = cliOnCopy('ad-locked', { DIRCONN_LDAP_PASSWORD: seed.userPassword });
    await ok(c, ['config', '--no-verify', 'ldap.username', `${dc.domain}\\${xena.sAMAccountName}`]);
    await samba.sambaTool(dc, ['domain', 'passwordsettings', 'set', '--account-lockout-threshold=3']);
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const wrong = expectCode(await c.run(['test'], { env: { DIRCONN_LDAP_PASSWORD: 'Old-Password-1!' } }), 4);
        expect(wrong.stderr).toContain('the password is wrong (AD data 52e)');
      }
      await expectBothFail(c, 4, /rejected the bind as "DIRCONN\\xena\.xu": the account is locked out \(AD data 775\)[\s\S]*Unlock the bind account/);
    } finally {
      await samba.sambaTool(dc, ['domain', 'passwordsettings', 'set', '--account-lockout-threshold=0']);
      await samba.sambaTool(dc, ['user', 'unlock', xena.sAMAccountName]);
    }
  });

  it('a bind user who cannot see deleted users: the warning once in test and sync output, and the sync works', async () => {
    const svc = seed.serviceAccount;
    const c = cliOnCopy('ad-svc', { DIRCONN_LDAP_PASSWORD: seed.userPassword });
    await ok(c, ['config', 'ldap.username', `${dc.domain}\\${svc.sAMAccountName}`]);
    const marker = /No deleted users are visible in CN=Deleted Objects,DC=dirconn,DC=test/gi;
    const count = (r: CliResult): number => (`${r.stdout}\n${r.stderr}`.match(marker) ?? []).length;

    const test = await ok(c, ['test']);
    expect(count(test)).toBe(1);
    // The fix names the bind user as configured.
    expect(test.stdout).toContain(`/G ${dc.domain}\\${svc.sAMAccountName}:LCRP`);

    // Another bind user: the cursor does not carry over, this sync reads everything…
    const full = await ok(c, ['sync']);
    expect(count(full)).toBe(1);
    expect((await lastReport(c)).readMode).toBe('full');
    // … and the delta sync after it says so again (once), instead of silently finding no deletions.
    const delta = await ok(c, ['sync']);
    expect(count(delta)).toBe(1);
    const report = await lastReport(c);
    expect(report.readMode).toBe('delta');
    expect(report.warnings.filter((w) => w.code === 'ad.deleted-objects-none-visible')).toHaveLength(1);
  });
});
