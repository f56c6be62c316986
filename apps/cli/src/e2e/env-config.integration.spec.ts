/**
 * Issue #13 item 3 end to end: a container-style run configured only by DIRCONN_<SECTION>_<FIELD>
 * variables (no setting in the data file) syncs directory A from a real slapd into the fake Bitwarden
 * server; `dirconn config` shows the values as coming from the environment; nothing of them is
 * written to the data file; a bad value stops the run with exit 3 naming the variable. The LDAP
 * password comes from DIRCONN_LDAP_PASSWORD and the client secret from BW_CLIENTSECRET, as in the
 * other specs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { directoryA } from '@dirconn/test-support';
import { assertCliBuilt, expectExit, importCount, loginEnv, readData, startWorld, syncedMembers, type EnvPatch, type World } from './cli-harness.js';

interface ListJson {
  settings: { key: string; value: unknown; from?: string; variable?: string }[];
}

describe('dirconn e2e: every setting from the environment (issue #13 item 3)', () => {
  let world: World;
  let settingsEnv: EnvPatch;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('envcfg', { env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
    settingsEnv = {
      DIRCONN_SERVER: world.fake.url,
      DIRCONN_DIRECTORY: 'ldap',
      DIRCONN_LDAP_HOSTNAME: '127.0.0.1',
      DIRCONN_LDAP_PORT: String(world.slapd.port),
      DIRCONN_LDAP_AD: 'false',
      DIRCONN_LDAP_USERNAME: world.slapd.adminDn,
      DIRCONN_LDAP_ROOT_PATH: directoryA.baseDn,
      DIRCONN_SYNC_USERS: 'true',
      DIRCONN_SYNC_GROUPS: 'true',
      DIRCONN_SYNC_USER_OBJECT_CLASS: 'person',
      DIRCONN_SYNC_GROUP_OBJECT_CLASS: 'posixGroup',
      DIRCONN_SYNC_MEMBER_ATTRIBUTE: 'memberUid',
      DIRCONN_SYNC_GROUP_NAME_ATTRIBUTE: 'cn',
      DIRCONN_SYNC_USER_EMAIL_ATTRIBUTE: 'mail',
      DIRCONN_SYNC_USER_FILTER: '(objectClass=inetOrgPerson)',
    };
  });
  afterAll(async () => {
    await world?.close();
  });

  it('syncs an LDAP directory configured only by environment variables, and keeps them out of the data file', async () => {
    const { cli, fake } = world;
    const env = { ...settingsEnv, ...loginEnv(fake) };
    await cli.ok(['login'], { env });

    const list = await cli.ok(['--json', 'config'], { env });
    const shown = new Map((list.json as ListJson).settings.map((s) => [s.key, s]));
    expect(shown.get('ldap.hostname')).toMatchObject({ value: '127.0.0.1', from: 'environment', variable: 'DIRCONN_LDAP_HOSTNAME' });
    expect(shown.get('sync.userFilter')).toMatchObject({ value: '(objectClass=inetOrgPerson)', from: 'environment', variable: 'DIRCONN_SYNC_USER_FILTER' });
    expect(shown.get('directory')).toMatchObject({ value: 'ldap', variable: 'DIRCONN_DIRECTORY' });
    expect(shown.get('server')).toMatchObject({ value: fake.url, variable: 'DIRCONN_SERVER' });
    expect(shown.get('ldap.port')).toMatchObject({ value: world.slapd.port });
    expect(shown.get('ldap.password')).toMatchObject({ value: '(set)', from: 'environment', variable: 'DIRCONN_LDAP_PASSWORD' });
    const human = await cli.ok(['config'], { env });
    expect(human.stdout).toMatch(/ldap\.hostname\s+127\.0\.0\.1\s+\(from environment DIRCONN_LDAP_HOSTNAME\)/);

    const sync = await cli.ok(['--json', 'sync'], { env });
    expect(sync.json).toMatchObject({ outcome: 'synced', requestsPosted: 1, summary: { usersInDirectory: 20, groupsInDirectory: 5 } });
    expect(syncedMembers(fake)).toEqual(new Map(directoryA.users.map((u) => [u.dn, u.email])));
    expect(importCount(fake)).toBe(1);

    // The data file holds the login and the state, and no setting at all.
    const data = readData(world.dataDir);
    expect(data.config.directory).toBeNull();
    expect(data.config.server.base).toBeNull();
    expect(data.config.directories).toEqual({});
    expect(data.config.sync['userFilter'] ?? null).toBeNull();
    expect(data.config.sync['users']).toBe(false);
    expect(Object.keys(data.state)).toHaveLength(1);

    // The next run with the same environment finds nothing to send.
    expect((await cli.ok(['--json', 'sync'], { env })).json).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
    expect(importCount(fake)).toBe(1);

    // Saving another setting with `dirconn config` writes only that one.
    await cli.ok(['config', 'sync.maxRemovals', '7'], { env });
    const after = readData(world.dataDir);
    expect(after.config.sync['maxRemovals']).toBe(7);
    expect(after.config.directory).toBeNull();
    expect(after.config.directories).toEqual({});
  });

  it.each([
    ['DIRCONN_LDAP_PORT', 'abc', /whole number/],
    ['DIRCONN_SYNC_USER_FILTER', 'objectClass=person)(', /filter/i],
    ['DIRCONN_DIRECTORY', 'novell', /one of/],
    ['DIRCONN_LDAP_SSL_CA_PATH', '/nonexistent/ca.pem', /cannot be read/],
  ])('%s=%s stops every command with exit 3 naming the variable', async (variable, value, reason) => {
    const env = { ...settingsEnv, ...loginEnv(world.fake), [variable]: value };
    for (const args of [['sync'], ['config']]) {
      const run = expectExit(await world.cli.run(args, { env }), 3);
      expect(run.stderr).toContain(variable);
      expect(run.stderr).toMatch(reason);
    }
  });

  it('warns about a DIRCONN_ variable that looks like a setting but is none', async () => {
    const run = await world.cli.ok(['config', 'directory'], { env: { ...settingsEnv, DIRCONN_LDAP_HOST: 'typo' } });
    expect(run.stderr).toContain('DIRCONN_LDAP_HOST is set but is not a dirconn setting variable');
    expect(run.stdout.trim()).toBe('ldap');
  });
});
