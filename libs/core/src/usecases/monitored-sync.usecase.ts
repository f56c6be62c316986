/**
 * A sync run as an unattended service runs it (issue #13 item 4): `runSync`, then the status files an
 * admin asked for — the Prometheus metrics file (written atomically after every run) and the
 * heartbeat file (touched after every successful run) — and log lines for the run's start and end.
 * Writing a status file never fails the sync: a failure is logged and returned as a warning.
 * A cancelled run (SIGTERM, Ctrl-C) is not a run outcome: nothing is recorded for it.
 */
import { DirconnError, toErrorData } from '../errors.js';
import { metricsAfterRun, parseMetricSamples, renderMetrics } from '../monitor/run-metrics.js';
import { fileErrorCode, silentLogger, type FileWriter } from '../ports.js';
import type { RunReport } from './run-report.js';
import type { UseCaseDeps } from './session.js';
import { runSync, type SyncOptions, type SyncResult } from './sync.usecase.js';
import type { UseCaseWarning } from './use-case-warning.js';

/** Where the run's status goes; each file is optional. */
export interface MonitorOptions {
  /** Prometheus text file rewritten after every run (not dry runs). */
  metricsFile?: string | null;
  /** File whose modification time is set after every successful run (synced or unchanged). */
  heartbeatFile?: string | null;
  /**
   * Log the run's start, end and failure (default true). A face whose log lines land beside its own
   * messages (text on a terminal) turns it off so a failure is not told twice.
   */
  logRuns?: boolean;
}

/** The ports a monitored run needs beyond the use-case deps. */
export interface MonitorPorts {
  fileWriter: FileWriter;
}

/** A sync result plus the warnings of recording its status. */
export interface MonitoredSyncResult extends SyncResult {
  monitorWarnings: UseCaseWarning[];
}

/** `runSync` plus metrics, heartbeat and log lines (see the file comment). Errors of the run are rethrown unchanged. */
export async function runMonitoredSync(
  deps: UseCaseDeps,
  ports: MonitorPorts,
  options: SyncOptions & MonitorOptions,
): Promise<MonitoredSyncResult> {
  let report: RunReport | undefined;
  const log = options.logRuns === false ? silentLogger : deps.logger;
  log.info('Sync started', { dryRun: options.dryRun === true, force: options.force === true });
  try {
    const result = await runSync(deps, {
      ...options,
      onReport: (made) => {
        report = made;
        options.onReport?.(made);
      },
    });
    log.info('Sync finished', {
      outcome: result.outcome,
      requestsPosted: result.requestsPosted,
      durationMs: result.report.durationMs,
      summary: result.plan.summary,
    });
    const monitorWarnings = result.outcome === 'dry-run' ? [] : await recordRunStatus(deps, ports, result.report, options);
    return { ...result, monitorWarnings };
  } catch (error) {
    const data = toErrorData(error);
    const cancelled = DirconnError.is(error) && error.code === 'cancelled';
    if (cancelled) log.warn('Sync cancelled', { code: data.code });
    else log.error(report?.outcome === 'safety-stop' ? 'Sync stopped by a safety check' : 'Sync failed', { code: data.code, message: data.message });
    if (report !== undefined && !cancelled && report.outcome !== 'dry-run') {
      await recordRunStatus(deps, ports, report, options);
    }
    throw error;
  }
}

/**
 * Writes the metrics file (counters carried over from its previous contents) and touches the
 * heartbeat after a successful run. Returns (and logs) a warning for each file that could not be
 * written; never throws.
 */
export async function recordRunStatus(deps: UseCaseDeps, ports: MonitorPorts, report: RunReport, options: MonitorOptions): Promise<UseCaseWarning[]> {
  const warnings: UseCaseWarning[] = [];
  if (options.metricsFile) {
    const path = options.metricsFile;
    try {
      const previous = await readPrevious(deps, path);
      await ports.fileWriter.writeTextAtomic(path, renderMetrics(metricsAfterRun(report, parseMetricSamples(previous))));
    } catch (error) {
      warnings.push({ code: 'monitor.metrics-file', message: `Could not write the metrics file ${path} (${fileErrorCode(error) ?? toErrorData(error).message}).` });
    }
  }
  if (options.heartbeatFile && (report.outcome === 'synced' || report.outcome === 'unchanged')) {
    const path = options.heartbeatFile;
    try {
      await ports.fileWriter.touch(path);
    } catch (error) {
      warnings.push({ code: 'monitor.heartbeat-file', message: `Could not touch the heartbeat file ${path} (${fileErrorCode(error) ?? toErrorData(error).message}).` });
    }
  }
  for (const warning of warnings) deps.logger.warn(warning.message, { code: warning.code });
  return warnings;
}

/** The previous metrics file's text; '' when there is none yet. */
async function readPrevious(deps: UseCaseDeps, path: string): Promise<string> {
  try {
    return await deps.files.readText(path);
  } catch (error) {
    if (fileErrorCode(error) === 'ENOENT') return '';
    throw error;
  }
}
