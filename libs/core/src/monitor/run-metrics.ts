/**
 * Run metrics in the Prometheus text exposition format (issue #13 item 4), for node_exporter's
 * textfile collector or any scraper reading `--metrics-file`. Pure: the previous file's text in, the
 * new text out. Counters (`…_total`) carry on from the previous file, so they keep counting across
 * runs of separate processes (timer/cron) without a store of their own.
 */
import type { RunOutcome, RunReport } from '../usecases/run-report.js';

/** The outcomes written as `dirconn_last_run_outcome{outcome="…"}` (one series each, 1 for the last run's). */
export const METRIC_OUTCOMES: readonly Exclude<RunOutcome, 'dry-run'>[] = ['synced', 'unchanged', 'safety-stop', 'failed'];

/** The values written to the metrics file. */
export interface RunMetrics {
  /** Unix time in seconds at which the last run finished. */
  lastRunTimestampSeconds: number;
  /** Unix time in seconds of the last successful run (synced or unchanged); 0 when none is known. */
  lastSuccessTimestampSeconds: number;
  lastRunOutcome: Exclude<RunOutcome, 'dry-run'>;
  runDurationSeconds: number;
  /** Users and groups read from the directory by the last run that read it; null when never known. */
  directoryUsers: number | null;
  directoryGroups: number | null;
  /** Removals sent to Bitwarden by every successful run so far (counter). */
  removalsTotal: number;
  /** Runs refused by a safety check so far (counter). */
  safetyStopsTotal: number;
}

/** Samples of a metrics file by series name (`name` or `name{labels}`), as numbers. */
export type MetricSamples = ReadonlyMap<string, number>;

/**
 * Parses the samples of a Prometheus text file (comments and blank lines skipped; a line that is
 * not `series value` is ignored, so a hand-edited file only loses that line).
 */
export function parseMetricSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?)\s+(\S+)(?:\s+\S+)?$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) samples.set(match[1], value);
  }
  return samples;
}

/** The metrics after `report`'s run, carrying counters and last-known values from `previous`. Dry runs are not recorded. */
export function metricsAfterRun(report: RunReport, previous: MetricSamples): RunMetrics {
  const outcome = report.outcome === 'dry-run' ? 'unchanged' : report.outcome;
  const finished = Date.parse(report.finishedAt) / 1000;
  const success = outcome === 'synced' || outcome === 'unchanged';
  const removals = outcome === 'synced' ? (report.summary?.removals ?? 0) : 0;
  return {
    lastRunTimestampSeconds: finished,
    lastSuccessTimestampSeconds: success ? finished : (previous.get('dirconn_last_success_timestamp_seconds') ?? 0),
    lastRunOutcome: outcome,
    runDurationSeconds: report.durationMs / 1000,
    directoryUsers: report.summary?.usersInDirectory ?? previous.get('dirconn_directory_users') ?? null,
    directoryGroups: report.summary?.groupsInDirectory ?? previous.get('dirconn_directory_groups') ?? null,
    removalsTotal: (previous.get('dirconn_removals_total') ?? 0) + removals,
    safetyStopsTotal: (previous.get('dirconn_safety_stops_total') ?? 0) + (outcome === 'safety-stop' ? 1 : 0),
  };
}

/** Renders the metrics as Prometheus text (HELP and TYPE for every metric, newline at the end). */
export function renderMetrics(metrics: RunMetrics): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: [string, number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${formatValue(value)}`);
  };
  metric('dirconn_last_run_timestamp_seconds', 'gauge', 'Unix time the last sync run finished.', [['', metrics.lastRunTimestampSeconds]]);
  metric('dirconn_last_success_timestamp_seconds', 'gauge', 'Unix time the last successful sync run (synced or unchanged) finished; 0 if none.', [['', metrics.lastSuccessTimestampSeconds]]);
  metric(
    'dirconn_last_run_outcome',
    'gauge',
    'Outcome of the last sync run: 1 for its outcome, 0 for the others.',
    METRIC_OUTCOMES.map((o) => [`{outcome="${o}"}`, o === metrics.lastRunOutcome ? 1 : 0]),
  );
  metric('dirconn_run_duration_seconds', 'gauge', 'Duration of the last sync run in seconds.', [['', metrics.runDurationSeconds]]);
  if (metrics.directoryUsers !== null) metric('dirconn_directory_users', 'gauge', 'Users read from the directory by the last run that read it.', [['', metrics.directoryUsers]]);
  if (metrics.directoryGroups !== null) metric('dirconn_directory_groups', 'gauge', 'Groups read from the directory by the last run that read it.', [['', metrics.directoryGroups]]);
  metric('dirconn_removals_total', 'counter', 'Members removed from the organization by successful sync runs.', [['', metrics.removalsTotal]]);
  metric('dirconn_safety_stops_total', 'counter', 'Sync runs refused by a safety check.', [['', metrics.safetyStopsTotal]]);
  return `${lines.join('\n')}\n`;
}

/** Integers as integers, other numbers with millisecond precision at most. */
function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}
