/**
 * The Microsoft Entra ID source end to end (issue #10), with the BUILT CLI as a child process against
 * the fake Entra/Graph server (HTTPS with a CA made by the test, trusted through NODE_EXTRA_CA_CERTS)
 * and the fake Bitwarden server: configure → test → sync → the organization holds the enabled users
 * and the groups → an unchanged re-sync (a delta round) posts nothing → a user deleted and one disabled
 * in Entra are removed on the next sync; a failed middle page posts nothing and leaves the state
 * alone; a 429 storm with Retry-After is ridden out.
 *
 * Secrets: DIRCONN_PLAINTEXT_SECRETS=true (no keychain needed); the client secret reaches the store
 * only through `dirconn config entra.key --secretenv` and must never be printed.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { seedReferenceTenant, startFakeBitwarden, startFakeEntra, type FakeBitwarden, type FakeEntra } from '@dirconn/test-support';
import { assertCliBuilt, Cli, cleanEnv, configure, expectExit, findSecrets, groupMembership, importCount, loginEnv, makeTempDir, readData, syncedMembers, transcriptTexts } from './cli-harness.js';

interface TestJson {
  enabledUsers: { externalId: string; displayName: string }[];
  disabledUsers: { externalId: string }[];
  deletedUsers: { externalId: string }[];
  groups: { displayName: string; userIds: string[] }[];
}

describe('dirconn e2e: Microsoft Entra ID against the fake Graph and the fake Bitwarden server', () => {
  let entra: FakeEntra;
  let bitwarden: FakeBitwarden;
  let dataDir: string;
  let cli: Cli;
  let seed: ReturnType<typeof seedReferenceTenant>;

  beforeAll(async () => {
    assertCliBuilt();
    entra = await startFakeEntra();
    seed = seedReferenceTenant(entra.directory);
    bitwarden = await startFakeBitwarden();
    dataDir = makeTempDir('entra');
    cli = new Cli(cleanEnv({ DIRCONN_DATA_DIR: dataDir, DIRCONN_PLAINTEXT_SECRETS: 'true', NODE_EXTRA_CA_CERTS: entra.tls.caCertPath }));
  });
  afterAll(async () => {
    await cli?.killAll();
    await entra?.close();
    await bitwarden?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (entra) rmSync(entra.tls.dir, { recursive: true, force: true });
  });
  afterEach(() => entra.clearFaults());

  it('configures, tests, syncs; a delta re-sync posts nothing; deleted and disabled users are removed', async () => {
    const [u1, u2, u3] = seed.users as [string, string, string];
    await cli.ok(['config', 'server', bitwarden.url]);
    await cli.ok(['login'], { env: loginEnv(bitwarden) });
    await configure(cli, [
      ['directory', 'entra'],
      ['entra.identityAuthority', entra.url],
      ['entra.graphUrl', entra.url],
      ['entra.tenant', entra.tenantDomain],
      ['entra.applicationId', entra.clientId],
      ['sync.users', 'true'],
      ['sync.groups', 'true'],
      ['sync.removeDisabled', 'true'],
    ]);
    await cli.ok(['config', 'entra.key', '--secretenv', 'E2E_ENTRA_SECRET'], { env: { E2E_ENTRA_SECRET: entra.clientSecret } });
    const shown = new Map(((await cli.ok(['--json', 'config'])).json as { settings: { key: string; value: unknown }[] }).settings.map((s) => [s.key, s.value]));
    expect(shown.get('entra.key')).toBe('(set)');
    expect(shown.get('entra.tenant')).toBe(entra.tenantDomain);

    const test = (await cli.ok(['--json', 'test'])).json as TestJson;
    expect(test.enabledUsers.map((u) => u.externalId).sort()).toEqual([u1, u2, u3].sort());
    expect([...test.disabledUsers, ...test.deletedUsers]).toHaveLength(3);
    expect(Object.fromEntries(test.groups.map((g) => [g.displayName, g.userIds.length]))).toEqual({ 'Integration Testing Group A': 3, 'Integration Testing Group B': 0 });
    expect(importCount(bitwarden)).toBe(0);

    const sync = await cli.ok(['--json', 'sync']);
    expect(sync.json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    expect(syncedMembers(bitwarden)).toEqual(new Map([[u1, 'user1@example.com'], [u2, 'user2@example.com'], [u3, 'user3@example.com']]));
    const groups = groupMembership(bitwarden);
    expect(groups.get('Integration Testing Group A')).toEqual([u1, u2].sort());
    expect(groups.get('Integration Testing Group B')).toEqual([]);

    // Unchanged: the next run replays the delta links (2 Graph requests) and posts nothing.
    entra.clearRequests();
    const again = await cli.ok(['--json', 'sync']);
    expect(again.json).toMatchObject({ requestsPosted: 0, summary: { usersInDirectory: 0, groupsInDirectory: 0, invites: 0, removals: 0 } });
    expect(importCount(bitwarden)).toBe(1);
    expect(entra.requests({ path: /^\/v1.0\// }).map((r) => r.path).sort()).toEqual(['/v1.0/groups/delta', '/v1.0/users/delta']);

    entra.directory.deleteUser(u2);
    entra.directory.updateUser(u3, { accountEnabled: false });
    const explain = (await cli.ok(['--json', 'explain', 'user3@example.com'])).json as { directory: { checks: { check: string; passed: boolean; detail: string }[] } };
    expect(explain.directory.checks.find((c) => c.check === 'account enabled')).toMatchObject({ passed: false, detail: expect.stringContaining('accountEnabled is false') });
    const after = await cli.ok(['--json', 'sync']);
    expect(after.json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    expect(syncedMembers(bitwarden)).toEqual(new Map([[u1, 'user1@example.com']]));
    expect(groupMembership(bitwarden).get('Integration Testing Group A')).toEqual([u1]);

    expect(findSecrets([...transcriptTexts(cli), { label: 'data.json config', text: JSON.stringify(readData(dataDir).config) }], { clientSecret: entra.clientSecret })).toEqual([]);
  });

  it('a failed middle page posts nothing and leaves the state untouched', async () => {
    for (let i = 0; i < 1100; i++) entra.directory.addUser({ displayName: `Bulk ${i}`, userPrincipalName: `bulk${i}@example.com` });
    const imports = importCount(bitwarden);
    const stateBefore = JSON.stringify(readData(dataDir).state);
    entra.failPage(/^\/v1.0\/users\/delta$/, 2, 500);
    const failed = expectExit(await cli.run(['--json', 'sync']), 5);
    expect(failed.json).toMatchObject({ error: { code: 'provider.error', message: expect.stringMatching(/page 2.*HTTP 500 after 5 attempts/) } });
    expect(importCount(bitwarden)).toBe(imports);
    expect(JSON.stringify(readData(dataDir).state)).toBe(stateBefore);
  });

  it('rides out a 429 storm with Retry-After and then syncs the changes', async () => {
    entra.throttle(/^\/v1.0\/users\/delta$/, 3, 1);
    const sync = await cli.ok(['--json', 'sync'], { timeoutMs: 90_000 });
    expect(sync.json).toMatchObject({ outcome: 'synced' });
    expect(entra.requests({ path: /^\/v1.0\/users\/delta$/ }).filter((r) => r.status === 429)).toHaveLength(3);
    expect(syncedMembers(bitwarden).size).toBe(1101);
  });
});
