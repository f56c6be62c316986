/**
 * Issue #13 item 6 end to end with the BUILT CLI: `dirconn import-bwdc` takes over a bwdc data.json
 * of each directory type (hand-written fixtures, bwdc-fixtures.ts) and the old account layout, never
 * changing the bwdc file; for LDAP, with bwdc's secrets and API key in bwdc's keychain entries (a
 * throw-away Secret Service from with-keyring.sh), the first `dirconn sync` against slapd posts
 * nothing when bwdc's hash is current — and posts when it is not (the control that shows the check
 * can fail). The hash bwdc would have stored is computed here independently of dirconn's code.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BWDC_KEYCHAIN_SERVICE, KeychainSecretStore } from '@dirconn/storage';
import { directoryA } from '@dirconn/test-support';
import { bwdcHash, directoryARequestJson, directoryASync, entraFixture, googleFixture, ldapConfig, oktaFixture, oldLayoutLdapFixture, oneloginFixture, type BwdcFixture } from './bwdc-fixtures.js';
import { assertCliBuilt, configureDirectoryA, importCount, loginEnv, probeKeychain, readData, startWorld, type Cli, type World } from './cli-harness.js';

interface ImportJson {
  directory: string | null;
  imported: { setting: string; value: unknown }[];
  secrets: { setting: string; from: string | null; note: string }[];
  notImported: { setting: string; reason: string }[];
  login: { clientId: string | null; note: string };
  state: { lastSyncHash: string | null } | null;
  saved: boolean;
}

const LDAP_CONFIG_ID = 'c0ffee00-0000-4000-8000-00000000000a';

describe('dirconn e2e: import-bwdc (issue #13 item 6)', () => {
  let world: World;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('bwdc', { ldapPasswordInEnv: false, env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
  });
  afterAll(async () => {
    await world?.close();
  });

  /** Writes `data` as bwdc's data.json in a new folder; returns the folder and the file's bytes. */
  function bwdcDir(name: string, data: Record<string, unknown>): { dir: string; file: string; bytes: string } {
    const dir = join(world.tempDir(`bwdc-${name}`), 'Bitwarden Directory Connector');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'data.json');
    const bytes = JSON.stringify(data, null, 2);
    writeFileSync(file, bytes, { mode: 0o600 });
    return { dir, file, bytes };
  }

  function unchangedFile(file: string, bytes: string, mtimeMs: number): void {
    expect(readFileSync(file, 'utf8')).toBe(bytes);
    expect(statSync(file).mtimeMs).toBe(mtimeMs);
  }

  async function shownSettings(cli: Cli): Promise<Map<string, unknown>> {
    const list = await cli.ok(['--json', 'config']);
    return new Map((list.json as { settings: { key: string; value: unknown }[] }).settings.map((s) => [s.key, s.value]));
  }

  it.each([entraFixture, googleFixture, oktaFixture, oneloginFixture].map((f) => [f.name, f] as const))('imports a bwdc data.json of type %s without changing it', async (_name, fixture: BwdcFixture) => {
    const bwdc = bwdcDir(fixture.directory, fixture.data);
    const mtime = statSync(bwdc.file).mtimeMs;
    const cli = world.cliFor(world.tempDir(`dirconn-${fixture.directory}`));
    // BITWARDENCLI_CONNECTOR_APPDATA_DIR is honoured when no path is given.
    const run = await cli.ok(['--json', 'import-bwdc', '--no-keychain'], { env: { BITWARDENCLI_CONNECTOR_APPDATA_DIR: bwdc.dir } });
    const result = run.json as ImportJson;
    expect(result).toMatchObject({ directory: fixture.directory, saved: true });
    expect(result.secrets).toEqual([{ setting: fixture.secret, from: null, note: expect.stringMatching(/--secretfile/) }]);
    expect(result.login.clientId).toBeNull();
    const shown = await shownSettings(cli);
    for (const [key, value] of Object.entries(fixture.expected)) expect([key, shown.get(key)]).toEqual([key, value]);
    unchangedFile(bwdc.file, bwdc.bytes, mtime);
    // A second import does not replace the configuration without --force.
    const again = await cli.run(['import-bwdc', bwdc.file, '--no-keychain']);
    expect([again.code, again.stderr]).toEqual([3, expect.stringMatching(/already configured/)]);
  });

  it('imports the old account layout (state version 4) for LDAP', async () => {
    const fixture = oldLayoutLdapFixture(world.slapd.port, world.slapd.adminDn);
    const bwdc = bwdcDir('old', fixture.data);
    const cli = world.cliFor(world.tempDir('dirconn-old'));
    const run = await cli.ok(['--json', 'import-bwdc', bwdc.file, '--no-keychain']);
    expect(run.json).toMatchObject({ directory: 'ldap', saved: true, layout: 'account' });
    const shown = await shownSettings(cli);
    for (const [key, value] of Object.entries(fixture.expected)) expect([key, shown.get(key)]).toEqual([key, value]);
    const notImported = (run.json as ImportJson).notImported.map((s) => s.setting);
    expect(notImported).toContain('ldap.currentUser');
  });

  it('LDAP: secrets and API key from bwdc\'s keychain; the first sync posts nothing when bwdc\'s hash is current, and posts when it is not', async () => {
    const keychainProblem = await probeKeychain();
    if (keychainProblem !== null) throw new Error(`this spec needs the throw-away keyring of with-keyring.sh: ${keychainProblem}`);
    const { fake, slapd } = world;
    const organizationId = fake.organization.id;

    // The organization as bwdc left it: directory A synced once (here by dirconn on another data dir).
    const seed = world.cli;
    await configureDirectoryA(world);
    await seed.ok(['config', 'ldap.password', '--secretenv', 'E2E_LDAP_PASSWORD'], { env: { E2E_LDAP_PASSWORD: slapd.adminPassword } });
    await seed.ok(['login'], { env: loginEnv(fake) });
    expect((await seed.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    const posted = importCount(fake);

    // The hash bwdc stores for this directory, computed independently — and dirconn's own equals it.
    const apiUrl = `${fake.url}/api`;
    const hash = bwdcHash(apiUrl, organizationId, directoryARequestJson(false));
    expect(Object.values(readData(world.dataDir).state).map((s) => s.lastSyncHash)).toEqual([hash]);

    // bwdc's keychain entries (JSON-encoded values, §9.4).
    const bwdcKeychain = new KeychainSecretStore({ service: BWDC_KEYCHAIN_SERVICE, timeoutMs: 5000 });
    const entries: Record<string, string> = {
      [`secretLdap:${LDAP_CONFIG_ID}`]: JSON.stringify(slapd.adminPassword),
      apiKeyClientId: JSON.stringify(fake.clientId),
      apiKeyClientSecret: JSON.stringify(fake.apiKey),
    };
    for (const [account, value] of Object.entries(entries)) await bwdcKeychain.set(account, value);
    try {
      const bwdcData = (lastSyncHash: string) => ({
        stateVersion: 8,
        directoryType: 0,
        organizationId,
        directoryLdap: ldapConfig(slapd.port, slapd.adminDn, LDAP_CONFIG_ID),
        sync: directoryASync(false),
        lastSyncHash,
        lastUserSync: '2026-12-01T08:00:00.000Z',
        lastGroupSync: '2026-12-01T08:00:00.000Z',
        environmentUrls: { base: fake.url, api: null, identity: null, webVault: null },
        syncingDir: false,
      });

      const current = bwdcDir('ldap-current', bwdcData(hash));
      const mtime = statSync(current.file).mtimeMs;
      const cli = world.cliFor(world.tempDir('dirconn-ldap'));
      const run = await cli.ok(['--json', 'import-bwdc', current.dir]);
      const result = run.json as ImportJson;
      expect(result.secrets).toEqual([{ setting: 'ldap.password', from: `bwdc keychain entry secretLdap:${LDAP_CONFIG_ID}`, note: expect.stringMatching(/^stored in/) }]);
      expect(result.login.clientId).toBe(fake.clientId);
      expect(result.state?.lastSyncHash).toBe(hash);
      unchangedFile(current.file, current.bytes, mtime);
      const human = await cli.ok(['import-bwdc', current.dir, '--dry-run', '--force']);
      expect(human.stdout).toMatch(/Would import \(dry run\)[\s\S]*ldap\.hostname = 127\.0\.0\.1[\s\S]*Not imported:[\s\S]*ldap\.currentUser/);

      const sync = await cli.ok(['--json', 'sync']);
      expect(sync.json).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
      expect(importCount(fake)).toBe(posted);

      // Control: a bwdc hash that is not current → the first sync posts (the same content).
      const stale = bwdcDir('ldap-stale', bwdcData(bwdcHash(apiUrl, organizationId, directoryARequestJson(true))));
      const other = world.cliFor(world.tempDir('dirconn-ldap-stale'));
      await other.ok(['import-bwdc', stale.dir]);
      expect((await other.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
      expect(importCount(fake)).toBe(posted + 1);
      expect(directoryA.users).toHaveLength(20);
    } finally {
      for (const account of Object.keys(entries)) await bwdcKeychain.delete(account);
    }
  });
});
