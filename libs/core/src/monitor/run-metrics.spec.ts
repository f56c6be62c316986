import { describe, expect, it } from '@jest/globals';
import type { RunReport } from '../usecases/run-report.js';
import { metricsAfterRun, parseMetricSamples, renderMetrics } from './run-metrics.js';

function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    id: 'r1',
    command: 'sync',
    startedAt: '2026-03-02T09:00:00.000Z',
    finishedAt: '2026-03-02T09:00:02.500Z',
    durationMs: 2500,
    outcome: 'synced',
    directory: 'ldap',
    organizationId: null,
    readMode: 'full',
    orgView: 'live',
    summary: null,
    requestsPosted: 1,
    changes: [],
    changesTruncated: false,
    warnings: [],
    safety: null,
    stats: {},
    error: null,
    ...overrides,
  };
}

const summary = { usersInDirectory: 20, groupsInDirectory: 4, removals: 3 } as unknown as NonNullable<RunReport['summary']>;

describe('run metrics', () => {
  it('renders every metric with HELP/TYPE lines, the outcome as one series per outcome', () => {
    const text = renderMetrics(metricsAfterRun(report({ summary }), new Map()));
    const samples = parseMetricSamples(text);
    expect(samples.get('dirconn_last_run_timestamp_seconds')).toBe(Date.parse('2026-03-02T09:00:02.500Z') / 1000);
    expect(samples.get('dirconn_last_success_timestamp_seconds')).toBe(samples.get('dirconn_last_run_timestamp_seconds'));
    expect(samples.get('dirconn_last_run_outcome{outcome="synced"}')).toBe(1);
    expect(samples.get('dirconn_last_run_outcome{outcome="failed"}')).toBe(0);
    expect(samples.get('dirconn_run_duration_seconds')).toBe(2.5);
    expect(samples.get('dirconn_directory_users')).toBe(20);
    expect(samples.get('dirconn_directory_groups')).toBe(4);
    expect(samples.get('dirconn_removals_total')).toBe(3);
    expect(samples.get('dirconn_safety_stops_total')).toBe(0);
    expect(text).toContain('# TYPE dirconn_removals_total counter\n');
    expect(text).toContain('# TYPE dirconn_last_run_outcome gauge\n');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('carries counters, the last success and the last directory counts over from the previous file', () => {
    const first = renderMetrics(metricsAfterRun(report({ summary }), new Map()));
    const stopped = metricsAfterRun(
      report({ outcome: 'safety-stop', finishedAt: '2026-03-02T10:00:00.000Z', summary: { ...summary, removals: 50 } }),
      parseMetricSamples(first),
    );
    expect(stopped).toMatchObject({ lastRunOutcome: 'safety-stop', removalsTotal: 3, safetyStopsTotal: 1, directoryUsers: 20 });
    expect(stopped.lastSuccessTimestampSeconds).toBe(Date.parse('2026-03-02T09:00:02.500Z') / 1000);
    const failed = metricsAfterRun(report({ outcome: 'failed', summary: null }), parseMetricSamples(renderMetrics(stopped)));
    expect(failed).toMatchObject({ lastRunOutcome: 'failed', removalsTotal: 3, safetyStopsTotal: 1, directoryUsers: 20, directoryGroups: 4 });
    const again = metricsAfterRun(report({ summary }), parseMetricSamples(renderMetrics(failed)));
    expect(again).toMatchObject({ removalsTotal: 6, safetyStopsTotal: 1 });
  });

  it('a first failed run has no success time and no directory counts', () => {
    const text = renderMetrics(metricsAfterRun(report({ outcome: 'failed' }), new Map()));
    expect(parseMetricSamples(text).get('dirconn_last_success_timestamp_seconds')).toBe(0);
    expect(text).not.toContain('dirconn_directory_users');
  });

  it('ignores comments, blank and malformed lines when parsing', () => {
    const samples = parseMetricSamples('# HELP x y\n\nnot a sample line at all\ndirconn_removals_total 7\nfoo{a="b"} 2 1700000000\nbar NaN-ish\n');
    expect([...samples.entries()]).toEqual([
      ['dirconn_removals_total', 7],
      ['foo{a="b"}', 2],
    ]);
  });
});
