/**
 * Observability of a scheduled sync (issue #13 item 4) with the built CLI against slapd and the fake
 * Bitwarden server: JSON log lines to a log file (one object per line, the run id on each, no
 * secret), the Prometheus metrics file after each run with counters carried over, and the heartbeat
 * touched only after a successful run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { parseMetricSamples } from '@dirconn/core';
import { directoryA } from '@dirconn/test-support';
import { assertCliBuilt, configureDirectoryA, deleteEntries, expectExit, findSecrets, loginEnv, startWorld, transcriptTexts, type World } from './cli-harness.js';

describe('dirconn e2e: logs, metrics and heartbeat', () => {
  let world: World;
  let dir: string;

  beforeAll(async () => {
    assertCliBuilt();
    world = await startWorld('observe', { env: { DIRCONN_PLAINTEXT_SECRETS: 'true' } });
    await configureDirectoryA(world);
    await world.cli.ok(['login'], { env: loginEnv(world.fake) });
    dir = world.tempDir('status');
  });
  afterAll(async () => {
    await world?.close();
  });

  it('a sync writes JSON log lines with its run id, the metrics file and the heartbeat', async () => {
    const log = join(dir, 'dirconn.log');
    const metrics = join(dir, 'dirconn.prom');
    const heartbeat = join(dir, 'heartbeat');
    const args = ['--json', '--log-format', 'json', '--log-file', log, 'sync', '--metrics-file', metrics, '--heartbeat-file', heartbeat];
    const first = expectExit(await world.cli.run(args), 0);
    const report = (first.json as { report: string }).report;
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['message'])).toEqual(['Sync started', 'Sync finished']);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 'info', runId: report, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    }
    expect(lines[1]).toMatchObject({ fields: { outcome: 'synced', requestsPosted: 1, summary: { usersInDirectory: 20 } } });
    let samples = parseMetricSamples(readFileSync(metrics, 'utf8'));
    expect(samples.get('dirconn_last_run_outcome{outcome="synced"}')).toBe(1);
    expect(samples.get('dirconn_directory_users')).toBe(20);
    expect(samples.get('dirconn_directory_groups')).toBe(directoryA.groups.length);
    expect(samples.get('dirconn_removals_total')).toBe(0);
    expect(samples.get('dirconn_last_success_timestamp_seconds')).toBe(samples.get('dirconn_last_run_timestamp_seconds'));
    expect(Math.abs(Date.now() / 1000 - samples.get('dirconn_last_run_timestamp_seconds')!)).toBeLessThan(120);
    expect(existsSync(heartbeat)).toBe(true);

    // A safety stop: recorded and counted, the heartbeat left alone, the error logged.
    const leavers = directoryA.users.slice(0, 8);
    const restore = await deleteEntries(world.slapd, leavers.map((u) => u.dn));
    try {
      utimesSync(heartbeat, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
      expectExit(await world.cli.run(args), 6);
      samples = parseMetricSamples(readFileSync(metrics, 'utf8'));
      expect(samples.get('dirconn_last_run_outcome{outcome="safety-stop"}')).toBe(1);
      expect(samples.get('dirconn_safety_stops_total')).toBe(1);
      expect(statSync(heartbeat).mtime.getUTCFullYear()).toBe(2020);
      const last = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect(last).toMatchObject({ level: 'error', message: 'Sync stopped by a safety check', fields: { code: 'sync.safety-stop' } });

      // Allowed once: the removals are counted, the heartbeat touched again.
      expectExit(await world.cli.run([...args, '--allow-removals', '8']), 0);
      samples = parseMetricSamples(readFileSync(metrics, 'utf8'));
      expect(samples.get('dirconn_removals_total')).toBe(8);
      expect(samples.get('dirconn_safety_stops_total')).toBe(1);
      expect(samples.get('dirconn_directory_users')).toBe(12);
      expect(statSync(heartbeat).mtime.getUTCFullYear()).toBeGreaterThan(2020);
    } finally {
      await restore();
    }
    const logText = readFileSync(log, 'utf8');
    expect(findSecrets([...transcriptTexts(world.cli), { label: 'log file', text: logText }], { ldap: world.slapd.adminPassword, apiKey: world.fake.apiKey })).toEqual([]);
  }, 60_000);

  it('the log file is rotated by size', async () => {
    const log = join(dir, 'rotated.log');
    for (let i = 0; i < 3; i += 1) expectExit(await world.cli.run(['--log-file', log, '--log-level', 'debug', '--log-max-size', '0.001', 'sync']), 0);
    expect(existsSync(`${log}.1`)).toBe(true);
    expect(statSync(log).size).toBeLessThan(4096);
  }, 60_000);
});
