/**
 * A partial directory read never removes anyone, with the BUILT CLI: the run fails (exit 5) before
 * planning, posts nothing and leaves the saved state as it was.
 *
 * 1. slapd dies in the middle of a paged read of 5,000 users (page size 5, 1,000 pages): the test kills
 *    it 50 ms after the CLI logs the start of the user search (--verbose), while the read (≈0.8 s on
 *    the dev machine) runs; the test checks that the read did not finish.
 *    Progress lines cannot be the trigger: on a non-terminal stderr they appear every 5 s only.
 * 2. A server size limit cuts a non-paged search short (slapd sizeLimit 10, ldap.pagedSearch false).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeDirectoryLdif } from '@dirconn/test-support';
import {
  assertCliBuilt,
  configure,
  configureDirectoryA,
  expectExit,
  importCount,
  loginEnv,
  makeTempDir,
  readDataText,
  startWorld,
  syncedMembers,
  type World,
} from './cli-harness.js';

const USERS = 5_000;

describe('dirconn e2e: slapd killed in the middle of a paged read', () => {
  let world: World;
  let ldifDir: string;

  beforeAll(async () => {
    assertCliBuilt();
    ldifDir = makeTempDir('big-ldif');
    const ldif = join(ldifDir, 'users.ldif');
    await writeDirectoryLdif(ldif, { users: USERS, groups: 0, baseDn: 'dc=bitwarden,dc=com' });
    // Self-hosted: no 2000-member limit per import request.
    world = await startWorld('partial', { slapd: { ldifs: [ldif] }, fake: { selfHosted: true }, env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
    const { cli, fake } = world;
    // Directory A's settings fit the generated directory too (same base, admin, person, mail).
    await configureDirectoryA(world);
    await configure(cli, [
      ['sync.groups', 'false'],
      ['ldap.pageSize', '5'],
    ]);
    await cli.ok(['login'], { env: loginEnv(fake) });
    await cli.ok(['sync']);
    expect(syncedMembers(fake).size).toBe(USERS);
  }, 120_000);
  afterAll(async () => {
    await world?.close();
    if (ldifDir) rmSync(ldifDir, { recursive: true, force: true });
  });

  it('fails with exit 5, posts nothing, keeps the saved state', async () => {
    const { cli, fake, slapd } = world;
    await cli.ok(['clear-cache']); // a complete read would now post
    const data = readDataText(world.dataDir);
    const imports = importCount(fake);
    const members = syncedMembers(fake);

    const run = cli.spawn(['--verbose', 'sync']);
    await run.waitForStderr(/DEBUG ldap user search/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    slapd.kill();
    const result = await run.exited;

    expectExit(result, 5);
    expect(result.stderr).not.toMatch(/ldap read finished/); // it was cut short, not completed
    expect(result.stderr).toMatch(/Error: .*127\.0\.0\.1:\d+/);
    expect(importCount(fake)).toBe(imports);
    expect(fake.requests({ route: 'import' }).slice(imports)).toEqual([]);
    expect(syncedMembers(fake)).toEqual(members);
    expect(readDataText(world.dataDir)).toBe(data);
    expect((await cli.ok(['last-sync', 'users'])).stdout.trim()).toBe('');
    const report = (await cli.ok(['--json', 'report', '--last'])).json;
    expect(report).toMatchObject({ outcome: 'failed', requestsPosted: 0, summary: null, error: { code: expect.stringMatching(/^provider\./) } });
  });
});

describe('dirconn e2e: a server size limit on a non-paged search', () => {
  let world: World;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('sizelimit', { slapd: { sizeLimit: 10 }, env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
    const { cli, fake } = world;
    await configureDirectoryA(world);
    await cli.ok(['login'], { env: loginEnv(fake) });
    // Paged searches are not limited (size.prtotal=unlimited): the first sync reads all 20.
    await cli.ok(['sync']);
    expect(syncedMembers(fake).size).toBe(20);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('fails with exit 5 (incomplete read), posts nothing, keeps the saved state', async () => {
    const { cli, fake } = world;
    await cli.ok(['config', 'ldap.pagedSearch', 'false']);
    const data = readDataText(world.dataDir);
    const lastSync = (await cli.ok(['last-sync', 'users'])).stdout;
    expect(lastSync.trim()).not.toBe('');
    const imports = importCount(fake);
    const members = syncedMembers(fake);

    const r = expectExit(await cli.run(['--json', 'sync']), 5);
    expect(r.json).toMatchObject({ error: { code: 'provider.incomplete-read', message: expect.stringMatching(/size limit/i) } });
    expectExit(await cli.run(['plan']), 5);
    expect(importCount(fake)).toBe(imports);
    expect(syncedMembers(fake)).toEqual(members);
    expect(readDataText(world.dataDir)).toBe(data);
    expect((await cli.ok(['last-sync', 'users'])).stdout).toBe(lastSync);

    // Paged again: complete, and nothing to do.
    await cli.ok(['config', 'ldap.pagedSearch', 'true']);
    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'unchanged' });
  });
});
