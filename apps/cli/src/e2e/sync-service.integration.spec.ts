/**
 * `dirconn sync --interval` as a service (issue #13 item 2), the built CLI against slapd and the fake
 * Bitwarden server, with intervals of a few seconds (fractional minutes): several runs in one process
 * (one JSON document per run, log lines with a new run id each, metrics and heartbeat after each
 * run); SIGTERM between runs and in the middle of one both end it with exit 0 and leave the store
 * unlocked; a store held by another sync is waited for briefly, that run skipped with a message, and
 * the next one works.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseMetricSamples } from '@dirconn/core';
import { assertCliBuilt, configureDirectoryA, expectExit, importCount, loginEnv, startWorld, waitUntil, type World } from './cli-harness.js';

/** Lines of a JSON-lines text. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('dirconn e2e: sync --interval (service)', () => {
  let world: World;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('service', { env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
    await configureDirectoryA(world);
    await world.cli.ok(['login'], { env: loginEnv(world.fake) });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('runs at start and every interval, one JSON document per run; SIGTERM between runs exits 0', async () => {
    const dir = world.tempDir('service-status');
    const log = join(dir, 'dirconn.log');
    const metrics = join(dir, 'dirconn.prom');
    const heartbeat = join(dir, 'heartbeat');
    const service = world.cli.spawn(
      ['--json', '--log-format', 'json', '--log-file', log, 'sync', '--interval', '0.04', '--metrics-file', metrics, '--heartbeat-file', heartbeat],
      { timeoutMs: 60_000 },
    );
    const finishedRuns = (): Record<string, unknown>[] => (existsSync(log) ? jsonLines(readFileSync(log, 'utf8')).filter((l) => l['message'] === 'Sync finished') : []);
    await waitUntil('three runs have finished', () => finishedRuns().length >= 3, 30_000);
    // Between runs: the next one is scheduled.
    await service.waitForStderr(/Next run at/);
    service.kill('SIGTERM');
    const stopped = await service.exited;
    expectExit(stopped, 0);
    expect(stopped.stderr).toMatch(/dirconn sync service: a sync now, then every 2\.4 seconds/);
    expect(stopped.stderr).toMatch(/Stopped after \d+ run\(s\)/);

    const documents = jsonLines(stopped.stdout);
    expect(documents.length).toBeGreaterThanOrEqual(3);
    expect(documents[0]).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    for (const later of documents.slice(1)) expect(later).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
    expect(importCount(world.fake)).toBe(1);

    const lines = jsonLines(readFileSync(log, 'utf8'));
    const runIds = new Set(finishedRuns().map((l) => l['runId']));
    expect(runIds.size).toBe(finishedRuns().length);
    expect([...runIds]).toEqual(expect.arrayContaining(documents.map((d) => d['report'])));
    expect(lines.map((l) => l['message'])).toEqual(expect.arrayContaining(['Sync service started', 'Next sync run scheduled', 'Sync service stopped']));
    const started = lines.find((l) => l['message'] === 'Sync service started');
    expect(started).not.toHaveProperty('runId');

    const samples = parseMetricSamples(readFileSync(metrics, 'utf8'));
    expect(samples.get('dirconn_last_run_outcome{outcome="unchanged"}')).toBe(1);
    expect(samples.get('dirconn_directory_users')).toBe(20);
    expect(Date.now() - statSync(heartbeat).mtimeMs).toBeLessThan(30_000);
    // Not locked any more.
    expectExit(await world.cli.run(['plan']), 0);
  }, 90_000);

  it('SIGTERM in the middle of a run aborts it safely: exit 0, nothing posted, the lock released at once', async () => {
    const imports = importCount(world.fake);
    const membersReads = world.fake.requests({ route: 'members' }).length;
    world.fake.delay('members', 8000, { times: 1 });
    const service = world.cli.spawn(['sync', '--interval', '5', '--force']);
    await waitUntil('the run reads the organization', () => world.fake.requests({ route: 'members' }).length > membersReads);
    service.kill('SIGTERM');
    const stopped = await service.exited;
    expectExit(stopped, 0);
    expect(stopped.durationMs).toBeLessThan(8000);
    expect(stopped.stderr).toMatch(/Stopped after 0 run\(s\)/);
    expect(importCount(world.fake)).toBe(imports);
    const next = await world.cli.run(['plan']);
    expect(next.code).not.toBe(7);
  }, 60_000);

  it('a store held by another sync is waited for, that run skipped with a message, and the next run works', async () => {
    const { cli, fake } = world;
    const membersReads = fake.requests({ route: 'members' }).length;
    // Long enough for the service to start and find the store busy even on a loaded machine.
    fake.delay('members', 12_000, { times: 1 });
    const first = cli.spawn(['sync']);
    await waitUntil('the one-shot sync reads the organization, holding the lock', () => fake.requests({ route: 'members' }).length > membersReads);
    const service = cli.spawn(['sync', '--interval', '0.05']);
    await service.waitForStderr(/Skipped this run: .*in use by another dirconn process/, 30_000);
    expect(service.stderr()).toContain('waiting up to 1.5 s');
    expectExit(await first.exited, 0);
    await waitUntil('a later run of the service works', () => /Nothing to do|Syncing complete/.test(service.stdout()), 30_000);
    service.kill('SIGTERM');
    const stopped = expectExit(await service.exited, 0);
    expect(stopped.stderr).not.toMatch(/Error:/);
  }, 90_000);
});
