/**
 * Failing loudly and cleanly, with the BUILT CLI: the directory down, a wrong bind password, a wrong
 * Bitwarden API key (exit codes 5 / 4 / 4, a message naming what failed, nothing posted, saved state
 * untouched), and `dirconn config` validation (exit 2 / 3, and the data file byte-identical after
 * every refused value; a secret on argv is refused and never stored).
 *
 * The tests share one slapd, one fake Bitwarden server and one data directory and run in order:
 * `beforeAll` configures directory A, logs in and syncs once; each test leaves things as it found them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  addUser,
  assertCliBuilt,
  configureDirectoryA,
  expectExit,
  importCount,
  loginEnv,
  readData,
  readDataText,
  startWorld,
  syncedMembers,
  type World,
} from './cli-harness.js';

async function syncedWorld(name: string): Promise<World> {
  const world = await startWorld(name, { env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
  await configureDirectoryA(world);
  await world.cli.ok(['login'], { env: loginEnv(world.fake) });
  expectExit(await world.cli.run(['sync']), 0);
  expect(syncedMembers(world.fake).size).toBe(20);
  return world;
}

let world: World;

beforeAll(async () => {
  assertCliBuilt();
  world = await syncedWorld('failures');
});
afterAll(async () => {
  await world?.close();
});

describe('dirconn e2e: directory and Bitwarden failures', () => {
  it('LDAP down: exit 5 naming host:port, nothing posted, saved state untouched', async () => {
    const { cli, fake, slapd } = world;
    // A new user, so that a sync that got through would post.
    const newcomer = await addUser(slapd, { cn: 'Nadia Newcomer', ou: 'Payroll', uid: 'NewcomN', mail: 'nadia.newcomer@example.com' });
    const lastUsers = (await cli.ok(['last-sync', 'users'])).stdout;
    expect(lastUsers.trim()).not.toBe('');
    const dataBefore = readDataText(world.dataDir);
    const importsBefore = importCount(fake);

    slapd.kill();
    try {
      for (const args of [['sync'], ['--json', 'sync'], ['test'], ['plan']]) {
        const r = expectExit(await cli.run(args), 5);
        const message = args[0] === '--json' ? (r.json as { error: { code: string; message: string } }).error.message : r.stderr;
        expect(message).toContain(`127.0.0.1:${slapd.port}`);
        expect(message).toMatch(/refused the connection|unreachable|cannot reach/i);
        if (args[0] === '--json') expect(r.json).toMatchObject({ error: { code: 'provider.unreachable', hint: expect.any(String) } });
      }
      expect(importCount(fake)).toBe(importsBefore);
      expect(readDataText(world.dataDir)).toBe(dataBefore);
      expect((await cli.ok(['last-sync', 'users'])).stdout).toBe(lastUsers);
      expect((await cli.ok(['--json', 'report', '--last'])).json).toMatchObject({ outcome: 'failed', requestsPosted: 0, error: { code: 'provider.unreachable' } });
    } finally {
      await slapd.restart();
    }
    // Back up: the sync goes through again, with the newcomer.
    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced', summary: { invites: 1, removals: 0 } });
    expect(fake.member('nadia.newcomer@example.com')?.externalId).toBe(newcomer.dn);
    await newcomer.remove();
    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced', summary: { removals: 1 } });
    expect(fake.member('nadia.newcomer@example.com')).toBeUndefined();
  });

  it('wrong LDAP password: exit 4 with a message about the credentials, nothing posted', async () => {
    const { cli, fake, slapd } = world;
    await cli.ok(['clear-cache']);
    const data = readDataText(world.dataDir);
    const importsBefore = importCount(fake);
    const r = expectExit(await cli.run(['sync'], { env: { DIRCONN_LDAP_PASSWORD: 'not-the-password' } }), 4);
    expect(r.stderr).toMatch(/rejected the bind as "cn=admin,dc=bitwarden,dc=com": invalid credentials/);
    expect(r.stderr).toContain(`127.0.0.1:${slapd.port}`);
    expect(r.stderr).not.toContain('not-the-password');
    const json = expectExit(await cli.run(['--json', 'test'], { env: { DIRCONN_LDAP_PASSWORD: 'not-the-password' } }), 4);
    expect(json.json).toMatchObject({ error: { code: 'auth.directory', message: expect.stringMatching(/invalid credentials/) } });
    expect(importCount(fake)).toBe(importsBefore);
    expect(readDataText(world.dataDir)).toBe(data);
  });

  it('wrong Bitwarden API key at login: exit 4, the saved login is kept', async () => {
    const { cli, fake } = world;
    const before = readData(world.dataDir);
    const r = expectExit(await cli.run(['login'], { env: { ...loginEnv(fake), BW_CLIENTSECRET: 'wrong-api-key-0123456789' } }), 4);
    expect(r.stderr).toMatch(/refused the organization API key/);
    expect(r.stderr).not.toContain('wrong-api-key-0123456789');
    const unknownOrg = expectExit(await cli.run(['--json', 'login'], { env: { BW_CLIENTID: 'organization.00000000-1111-2222-3333-444444444444', BW_CLIENTSECRET: fake.apiKey } }), 4);
    expect(unknownOrg.json).toMatchObject({ error: { code: 'auth.bitwarden' } });
    const after = readData(world.dataDir);
    expect(after.auth).toEqual(before.auth);
    expect(after.plaintextSecrets).toEqual(before.plaintextSecrets);
    // A wrong key at run time (env override) fails the sync with 4 before anything is sent.
    const importsBefore = importCount(fake);
    await cli.ok(['clear-cache']);
    expectExit(await cli.run(['sync'], { env: { BW_CLIENTSECRET: 'wrong-api-key-0123456789' } }), 4);
    expect(importCount(fake)).toBe(importsBefore);
  });
});

describe('dirconn e2e: config validation never half-saves', () => {
  /** Runs a config command that must be refused with `code`; the data file must not change. */
  async function refused(args: string[], code: number) {
    const before = readDataText(world.dataDir);
    const r = expectExit(await world.cli.run(['config', ...args]), code);
    expect(readDataText(world.dataDir)).toBe(before);
    return r;
  }

  it('rejects unknown keys, bad booleans, bad URLs, unparsable filters and DNs that do not exist', async () => {
    const unknown = await refused(['sync.usres', 'true'], 2);
    expect(unknown.stderr).toMatch(/Unknown setting "sync\.usres"/);
    expect(unknown.stderr).toMatch(/sync\.users/); // did you mean

    const maybe = await refused(['sync.users', 'maybe'], 3);
    expect(maybe.stderr).toMatch(/sync\.users/);
    expect(maybe.stderr).toContain('"maybe"');
    expect(maybe.stderr).toContain('true or false');

    const url = await refused(['server', 'ht!tp://x'], 3);
    expect(url.stderr).toMatch(/Invalid value "ht!tp:\/\/x" for server/);
    await refused(['server', 'ftp://vault.example.com'], 3);
    await refused(['server.api', 'https://vault.example.com/api?x=1'], 3);
    await refused(['ldap.port', 'eighty'], 3);

    const filter = await refused(['sync.userFilter', '(cn=foo'], 3);
    expect(filter.stderr).toMatch(/Invalid value for sync\.userFilter: .*unbalanced parentheses/);

    // The directory is configured and reachable: a DN that does not exist is refused.
    const path = await refused(['sync.userPath', 'ou=Nope'], 3);
    expect(path.stderr).toMatch(/Invalid value for sync\.userPath: ou=Nope,dc=bitwarden,dc=com does not exist/);
    await refused(['sync.groupPath', 'ou=Nope'], 3);
    const root = await refused(['ldap.rootPath', 'dc=nope,dc=com'], 3);
    expect(root.stderr).toMatch(/Invalid value for ldap\.rootPath/);
    await refused(['sync.userPath', 'not a dn'], 3);

    // --json: the same refusal as one document.
    const before = readDataText(world.dataDir);
    const json = expectExit(await world.cli.run(['--json', 'config', 'sync.userPath', 'ou=Nope']), 3);
    expect(json.json).toMatchObject({ error: { code: 'config.invalid', message: expect.stringMatching(/does not exist/) } });
    expect(readDataText(world.dataDir)).toBe(before);

    // Accepted values still save (and the existing OU is accepted).
    await world.cli.ok(['config', 'sync.userPath', 'ou=Human Resources']);
    expect(readData(world.dataDir).config.sync['userPath']).toBe('ou=Human Resources');
    await world.cli.ok(['config', 'sync.userPath', 'null']);
    await world.cli.ok(['config', 'server', 'eu']);
    expect(readData(world.dataDir).config.server.base).toBe('eu');
    await world.cli.ok(['config', 'server', world.fake.url]);
  });

  it('refuses a secret on the command line and never stores it', async () => {
    const r = await refused(['ldap.password', 'hunter2'], 2);
    expect(r.stderr).toMatch(/never accepted as command-line arguments/);
    expect(r.stderr).not.toContain('hunter2');
    const json = expectExit(await world.cli.run(['--json', 'config', 'ldap.password', 'hunter2']), 2);
    expect(json.json).toMatchObject({ error: { code: 'usage' } });
    expect(json.stdout).not.toContain('hunter2');
    expect(readDataText(world.dataDir)).not.toContain('hunter2');
    // Not a secret setting: the secret flags are refused too, with nothing saved.
    await refused(['ldap.hostname', '--secretenv', 'HOME'], 2);
  });
});
