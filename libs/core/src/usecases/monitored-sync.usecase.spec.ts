import { describe, expect, it } from '@jest/globals';
import { DirconnError } from '../errors.js';
import { parseMetricSamples } from '../monitor/run-metrics.js';
import type { Logger } from '../ports.js';
import { group, orgGroup, orgMember, snapshot, user } from '../testing/builders.js';
import { syncTestDeps, type SyncTestDeps } from '../testing/fake-bitwarden-server.js';
import { runMonitoredSync } from './monitored-sync.usecase.js';

const METRICS = '/var/lib/node_exporter/dirconn.prom';
const HEARTBEAT = '/run/dirconn/heartbeat';

function people(names: string[]) {
  return snapshot({ users: names.map((name) => user({ name })), groups: [group({ name: 'Eng', users: names })], cursor: 'c1' });
}

interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function depsWithLog(names: string[]): { deps: SyncTestDeps; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const deps = syncTestDeps(people(names));
  deps.logger = recordingLogger(lines);
  return { deps, lines };
}

const options = { metricsFile: METRICS, heartbeatFile: HEARTBEAT };

describe('runMonitoredSync', () => {
  it('writes the metrics file and touches the heartbeat after a successful run; counters add up over runs', async () => {
    const { deps, lines } = depsWithLog(['alice', 'bob']);
    const ports = { fileWriter: deps.files };
    const first = await runMonitoredSync(deps, ports, { ...options, runId: 'run-1' });
    expect(first.report.id).toBe('run-1');
    expect(first.monitorWarnings).toEqual([]);
    expect(deps.files.touched).toEqual([HEARTBEAT]);
    let samples = parseMetricSamples(await deps.files.readText(METRICS));
    expect(samples.get('dirconn_last_run_outcome{outcome="synced"}')).toBe(1);
    expect(samples.get('dirconn_directory_users')).toBe(2);

    // Bob leaves: one removal, counted.
    deps.bitwarden.org = { members: [orgMember({ name: 'alice' }), orgMember({ name: 'bob' })], groups: [orgGroup({ name: 'Eng', memberIds: ['member-alice', 'member-bob'] })] };
    deps.provider.setResult(people(['alice']));
    await runMonitoredSync(deps, ports, options);
    samples = parseMetricSamples(await deps.files.readText(METRICS));
    expect(samples.get('dirconn_removals_total')).toBe(1);
    expect(samples.get('dirconn_directory_users')).toBe(1);
    expect(deps.files.touched).toEqual([HEARTBEAT, HEARTBEAT]);
    expect(lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual(['Sync started', 'Sync finished', 'Sync started', 'Sync finished']);
  });

  it('records a safety stop and a failure (no heartbeat) and rethrows the run error unchanged', async () => {
    const { deps, lines } = depsWithLog(['alice', 'bob']);
    const ports = { fileWriter: deps.files };
    await runMonitoredSync(deps, ports, options);
    deps.provider.setResult(snapshot({ users: [], groups: [] }));
    await expect(runMonitoredSync(deps, ports, options)).rejects.toMatchObject({ code: 'sync.safety-stop' });
    let samples = parseMetricSamples(await deps.files.readText(METRICS));
    expect(samples.get('dirconn_last_run_outcome{outcome="safety-stop"}')).toBe(1);
    expect(samples.get('dirconn_safety_stops_total')).toBe(1);
    deps.provider.setResult(new DirconnError('provider.unreachable', 'The directory is down.'));
    await expect(runMonitoredSync(deps, ports, options)).rejects.toMatchObject({ code: 'provider.unreachable' });
    samples = parseMetricSamples(await deps.files.readText(METRICS));
    expect(samples.get('dirconn_last_run_outcome{outcome="failed"}')).toBe(1);
    expect(samples.get('dirconn_safety_stops_total')).toBe(1);
    expect(deps.files.touched).toEqual([HEARTBEAT]);
    expect(lines.filter((l) => l.level === 'error').map((l) => [l.message, l.fields?.['code']])).toEqual([
      ['Sync stopped by a safety check', 'sync.safety-stop'],
      ['Sync failed', 'provider.unreachable'],
    ]);
  });

  it('a status file that cannot be written is a warning, never a failed sync', async () => {
    const { deps, lines } = depsWithLog(['alice']);
    deps.files.failing.set(METRICS, 'EACCES');
    deps.files.failing.set(HEARTBEAT, 'EROFS');
    const result = await runMonitoredSync(deps, { fileWriter: deps.files }, options);
    expect(result.outcome).toBe('synced');
    expect(result.monitorWarnings.map((w) => w.code)).toEqual(['monitor.metrics-file', 'monitor.heartbeat-file']);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      `Could not write the metrics file ${METRICS} (EACCES).`,
      `Could not touch the heartbeat file ${HEARTBEAT} (EROFS).`,
    ]);
  });

  it('records nothing for a dry run or a cancelled run', async () => {
    const { deps } = depsWithLog(['alice']);
    await runMonitoredSync(deps, { fileWriter: deps.files }, { ...options, dryRun: true });
    const aborted = new AbortController();
    aborted.abort();
    deps.provider.setResult(new DirconnError('cancelled', 'Cancelled.'));
    await expect(runMonitoredSync(deps, { fileWriter: deps.files }, { ...options, signal: aborted.signal })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(deps.files.readText(METRICS)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(deps.files.touched).toEqual([]);
  });

  it('logRuns: false leaves the run lines to the face (status warnings are still logged)', async () => {
    const { deps, lines } = depsWithLog(['alice']);
    deps.files.failing.set(METRICS, 'EACCES');
    deps.provider.setResult(new DirconnError('provider.unreachable', 'The directory is down.'));
    await expect(runMonitoredSync(deps, { fileWriter: deps.files }, { ...options, logRuns: false })).rejects.toMatchObject({ code: 'provider.unreachable' });
    expect(lines.filter((l) => l.level !== 'debug').map((l) => l.message)).toEqual([`Could not write the metrics file ${METRICS} (EACCES).`]);
  });
});
