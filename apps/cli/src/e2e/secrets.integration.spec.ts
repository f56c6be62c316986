/**
 * Secrets end to end, with the BUILT CLI:
 *
 * 1. A headless server: no OS keychain (a dead D-Bus address), no plaintext opt-in, the LDAP password
 *    and the API key given through the environment at every run. After a whole flow (login, config,
 *    test, plan --output, sync, a safety stop, errors, --verbose and --json runs) neither secret
 *    appears in any stdout/stderr, in data.json, in a run report or in the saved plan.
 * 2. The REAL OS keychain (inside test-support/scripts/with-keyring.sh): login and
 *    `config ldap.password` store the secrets there (data.json holds none), and a later sync works
 *    without any secret in the environment. Skipped with a note when no keychain is reachable,
 *    unless DIRCONN_REQUIRE_KEYRING=1 (then it fails).
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { directoryA } from '@dirconn/test-support';
import { KEYCHAIN_SERVICE, KeychainSecretStore } from '@dirconn/storage';
import {
  assertCliBuilt,
  configure,
  configureDirectoryA,
  deleteEntries,
  directoryASettings,
  expectExit,
  findSecrets,
  importCount,
  loginEnv,
  NO_KEYCHAIN_ENV,
  preserveKeychainEntries,
  probeKeychain,
  readData,
  readDataText,
  readReportTexts,
  startWorld,
  syncedMembers,
  transcriptTexts,
  type World,
} from './cli-harness.js';

const REQUIRE_KEYRING = process.env['DIRCONN_REQUIRE_KEYRING'] === '1';

describe('dirconn e2e: secrets given through the environment never leak (no keychain, no plaintext)', () => {
  let world: World;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('secrets-env', { env: { ...NO_KEYCHAIN_ENV } });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('keeps the LDAP password and the API key out of every output, the data file, the reports and plans', async () => {
    const { cli, fake, slapd } = world;
    cli.env = { ...cli.env, ...loginEnv(fake) } as Record<string, string>; // BW_CLIENTID/BW_CLIENTSECRET for every run
    const secrets = { 'LDAP password': slapd.adminPassword, 'API key': fake.apiKey };
    expect(cli.env['DIRCONN_PLAINTEXT_SECRETS']).toBeUndefined();

    await configureDirectoryA(world);
    const login = await cli.ok(['--json', 'login']);
    expect(login.json).toMatchObject({ loggedIn: true, secretStorage: expect.stringMatching(/not stored .*BW_CLIENTSECRET/) });
    expect((await cli.ok(['--json', 'config', 'ldap.password'])).json).toEqual({ key: 'ldap.password', set: true });
    // Storing the LDAP password needs a keychain (or the plaintext opt-in): refused with the alternatives.
    const noStore = expectExit(await cli.run(['config', 'ldap.password', '--secretenv', 'DIRCONN_LDAP_PASSWORD']), 3);
    expect(noStore.stderr).toMatch(/No OS keychain is reachable/);

    await cli.ok(['config']);
    await cli.ok(['--json', 'config']);
    await cli.ok(['--verbose', 'test']);
    await cli.ok(['--json', 'test']);
    const planFile = `${world.tempDir('plan')}/plan.json`;
    await cli.ok(['--verbose', 'plan', '--output', planFile]);
    await cli.ok(['--json', 'plan']);
    await cli.ok(['--verbose', 'sync']);
    expect(syncedMembers(fake).size).toBe(20);
    await cli.ok(['--json', '--verbose', 'sync']);
    await cli.ok(['explain', directoryA.users[0]!.email]);
    await cli.ok(['--json', 'explain', directoryA.users[0]!.dn]);

    // Failures and a safety stop print messages and hints: still no secret.
    const leavers = directoryA.users.slice(0, 6);
    const restore = await deleteEntries(slapd, leavers.map((u) => u.dn));
    try {
      expectExit(await cli.run(['--verbose', 'sync']), 6);
      expectExit(await cli.run(['--json', 'sync']), 6);
      await cli.ok(['--json', 'sync', '--allow-removals', '6']);
    } finally {
      await restore();
    }
    await cli.ok(['sync']);
    expectExit(await cli.run(['--verbose', 'sync'], { env: { DIRCONN_LDAP_PASSWORD: `${slapd.adminPassword}x` } }), 4);
    expectExit(await cli.run(['--json', 'login'], { env: { BW_CLIENTSECRET: `${fake.apiKey}x` } }), 4);
    expectExit(await cli.run(['--verbose', 'sync'], { env: { BW_CLIENTSECRET: `${fake.apiKey}x` } }), 4);
    expectExit(await cli.run(['config', 'ldap.password', slapd.adminPassword]), 2);
    slapd.kill();
    try {
      expectExit(await cli.run(['--verbose', 'sync']), 5);
    } finally {
      await slapd.restart();
    }
    await cli.ok(['--json', 'report', '--limit', '50']);
    await cli.ok(['report']);
    await cli.ok(['last-sync', 'users']);

    const texts = [
      ...transcriptTexts(cli),
      { label: 'data.json', text: readDataText(world.dataDir) },
      ...readReportTexts(world.dataDir).map((text, i) => ({ label: `report ${i}`, text })),
      { label: 'saved plan', text: readFileSync(planFile, 'utf8') },
    ];
    expect(cli.transcript.length).toBeGreaterThan(20);
    expect(readReportTexts(world.dataDir).length).toBeGreaterThanOrEqual(8);
    expect(findSecrets(texts, secrets)).toEqual([]);
    // The check itself finds a secret where there is one.
    expect(findSecrets([{ label: 'probe', text: `x${fake.apiKey}x` }], secrets)).toEqual(['probe: API key']);
    expect(readData(world.dataDir).plaintextSecrets).toBeUndefined();
    expect(readData(world.dataDir).auth.clientId).toBe(fake.clientId);

    // Logging out works without a keychain too.
    await cli.ok(['logout']);
    expect(readData(world.dataDir).auth.clientId).toBeNull();
    expectExit(await cli.run(['sync']), 4);
  });
});

const keychainProblem = await probeKeychain();
if (keychainProblem !== null && !REQUIRE_KEYRING) {
  console.warn(
    `Skipping the real-keychain e2e test: ${keychainProblem}\n` +
      'Run the integration tests inside test-support/scripts/with-keyring.sh; DIRCONN_REQUIRE_KEYRING=1 turns this skip into a failure.',
  );
}
const describeWithKeychain = keychainProblem !== null && !REQUIRE_KEYRING ? describe.skip : describe;

describeWithKeychain('dirconn e2e: the real OS keychain', () => {
  let world: World;
  let restoreKeychain: (() => Promise<void>) | undefined;
  const keychain = new KeychainSecretStore({ service: KEYCHAIN_SERVICE, timeoutMs: 10_000 });
  let ldapAccount: string | undefined;

  beforeAll(async () => {
    assertCliBuilt();
    expect(keychainProblem).toBeNull();
    // The API key account is not scoped per data directory: keep a developer's own entry safe.
    restoreKeychain = await preserveKeychainEntries(['apiKeyClientSecret']);
    world = await startWorld('keychain', { ldapPasswordInEnv: false });
  });
  afterAll(async () => {
    if (ldapAccount !== undefined) await keychain.delete(ldapAccount).catch(() => undefined);
    await restoreKeychain?.();
    await world?.close();
  });

  it('login and config store the secrets in the keychain (none in data.json); a later sync needs no secret in the environment', async () => {
    const { cli, fake, slapd } = world;
    expect(cli.env['DIRCONN_PLAINTEXT_SECRETS']).toBeUndefined();
    expect(cli.env['DIRCONN_LDAP_PASSWORD']).toBeUndefined();

    await cli.ok(['config', 'server', fake.url]);
    const login = await cli.ok(['--json', 'login'], { env: loginEnv(fake) });
    expect(login.json).toMatchObject({ loggedIn: true, secretStorage: expect.stringMatching(/^OS keychain/) });
    expect(await keychain.get('apiKeyClientSecret')).toBe(fake.apiKey);

    await configure(cli, directoryASettings(slapd).filter(([key]) => key !== 'ldap.rootPath'));
    const stored = await cli.ok(['--json', 'config', 'ldap.password', '--secretenv', 'E2E_LDAP_PASSWORD'], { env: { E2E_LDAP_PASSWORD: slapd.adminPassword } });
    expect(stored.json).toMatchObject({ saved: true, storage: expect.stringMatching(/^OS keychain/) });
    await cli.ok(['config', 'ldap.rootPath', directoryA.baseDn]);
    const id = readData(world.dataDir).config.directories['ldap']?.['id'];
    expect(typeof id).toBe('string');
    ldapAccount = `secretLdap:${String(id)}`;
    expect(await keychain.get(ldapAccount)).toBe(slapd.adminPassword);

    const data = readDataText(world.dataDir);
    expect(data).not.toContain(slapd.adminPassword);
    expect(data).not.toContain(fake.apiKey);
    expect(readData(world.dataDir).plaintextSecrets).toBeUndefined();

    // No secret in the environment: both come from the keychain.
    const sync = await cli.ok(['--json', 'sync']);
    expect(sync.json).toMatchObject({ outcome: 'synced' });
    expect(importCount(fake)).toBe(1);
    expect(syncedMembers(fake).size).toBe(20);
    expect((await cli.ok(['--json', 'config', 'ldap.password'])).json).toEqual({ key: 'ldap.password', set: true });
    expect(findSecrets(transcriptTexts(cli), { 'LDAP password': slapd.adminPassword, 'API key': fake.apiKey })).toEqual([]);
    expect(existsSync(`${world.dataDir}/reports`)).toBe(true);
    expect(findSecrets(readReportTexts(world.dataDir).map((text) => ({ label: 'report', text })), { 'LDAP password': slapd.adminPassword, 'API key': fake.apiKey })).toEqual([]);

    // logout removes the key from the keychain; the next sync is not logged in.
    await cli.ok(['logout']);
    expect(await keychain.get('apiKeyClientSecret')).toBeNull();
    expectExit(await cli.run(['sync']), 4);
  });
});
