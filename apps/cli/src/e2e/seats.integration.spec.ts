/**
 * The seat pre-check end to end (issue #13 item 8): the built CLI syncs the bundled sample (25
 * people, 2 of them disabled but not removed) into a fake cloud organization with fewer seats. The reference posted, let the
 * server autoscale or refuse, and cached the run as synced; dirconn stops with exit 6 before posting,
 * says what the server would do, and posts once `--allow-seat-overflow` is given.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { startFakeBitwarden, type FakeBitwarden } from '@dirconn/test-support';
import { assertCliBuilt, Cli, cleanEnv, expectExit, importCount, loginEnv, makeTempDir, syncedMembers } from './cli-harness.js';

describe('dirconn e2e: seats', () => {
  let fake: FakeBitwarden;
  let dataDir: string;
  let cli: Cli;

  beforeAll(async () => {
    assertCliBuilt();
    // 10 seats, one taken by the seeded Owner; cloud autoscale up to 30 seats.
    fake = await startFakeBitwarden({ organization: { seats: 10, maxAutoscaleSeats: 30 } });
    dataDir = makeTempDir('seats');
    cli = new Cli(cleanEnv({ DIRCONN_DATA_DIR: dataDir, DIRCONN_PLAINTEXT_SECRETS: 'true' }));
    for (const [key, value] of [['directory', 'sample'], ['sync.users', 'true'], ['sync.groups', 'true'], ['server', fake.url]] as const) await cli.ok(['config', key, value]);
    await cli.ok(['login'], { env: loginEnv(fake) });
  });
  afterAll(async () => {
    await cli?.killAll();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops before inviting past the seats (exit 6, nothing posted), plan shows it, and the override posts', async () => {
    const stop = expectExit(await cli.run(['sync']), 6);
    expect(stop.stderr).toContain('This sync invites 25 people; the organization has 10 seats, 1 occupied');
    expect(stop.stderr).toContain('16 more seats are needed: Bitwarden cloud will buy them automatically (autoscale, billed to the organization, up to 30)');
    expect(stop.stderr).toContain('--allow-seat-overflow');
    expect(importCount(fake)).toBe(0);
    expect(fake.requests({ route: 'subscription' }).length).toBeGreaterThan(0);

    const plan = await cli.run(['--json', 'plan']);
    const checks = (plan.json as { safety: { checks: { rule: string; passed: boolean }[] } }).safety.checks;
    expect(checks.find((c) => c.rule === 'seats')).toMatchObject({ passed: false });

    await cli.ok(['sync', '--allow-seat-overflow']);
    expect(importCount(fake)).toBe(1);
    expect(syncedMembers(fake).size).toBe(25);
    expect(fake.counters.autoscales).toBe(1);
    expect(fake.organization.seats).toBe(26);
  });

  it('says the server would refuse past the autoscale limit', async () => {
    const capped = fake.addOrganization({ seats: 5, maxAutoscaleSeats: 10 });
    const cappedDir = makeTempDir('seats-capped');
    const other = new Cli(cleanEnv({ DIRCONN_DATA_DIR: cappedDir, DIRCONN_PLAINTEXT_SECRETS: 'true' }));
    try {
      for (const [key, value] of [['directory', 'sample'], ['sync.users', 'true'], ['server', fake.url]] as const) await other.ok(['config', key, value]);
      await other.ok(['login'], { env: loginEnv(fake, capped) });
      const stop = expectExit(await other.run(['sync']), 6);
      expect(stop.stderr).toContain('20 more seats are needed, past the autoscale limit of 10: Bitwarden will refuse the invitations');
      expect(fake.members(capped.id)).toHaveLength(0);
      expect(importCount(fake)).toBe(1); // the first test's only
    } finally {
      rmSync(cappedDir, { recursive: true, force: true });
    }
  });
});
