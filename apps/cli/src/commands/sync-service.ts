/**
 * `dirconn sync --interval [minutes]`: dirconn as a long-running service (systemd, a container). The
 * loop itself (first run at once, interval + jitter, no overlap, busy store waited for then skipped,
 * back-off after repeated failures, a safety stop does not end it) is core's `runSyncService`; this
 * file runs each iteration as one `dirconn sync` (`syncOnce`: store lock, metrics, heartbeat,
 * alerts) and says what happens. SIGTERM/SIGINT (main.ts) abort the current run at its next safe
 * point; the lock is released and the process exits 0.
 */
import { DirconnError, runSyncService, silentLogger, toErrorData, type Logger, type SyncServiceEvent } from '@dirconn/core';
import type { CliContext } from '../context.js';
import { syncOnce, type SyncRunOptions } from './sync-run.js';

/** What the service is asked to do. */
export interface SyncServiceFlags {
  /** Minutes between runs (fractions allowed), or true for the `sync.interval` setting. */
  interval: number | true;
  run: Omit<SyncRunOptions, 'compactJson'>;
}

/** Runs syncs until SIGTERM/SIGINT; resolves (exit 0) when stopped. */
export async function serveSync(ctx: CliContext, flags: SyncServiceFlags): Promise<void> {
  const minutes = flags.interval === true ? await savedInterval(ctx) : flags.interval;
  const intervalMs = Math.round(minutes * 60_000);
  const out = ctx.output();
  const logger = serviceLogger(ctx);
  out.info(`dirconn sync service: a sync now, then every ${describeMinutes(minutes)} (SIGTERM or Ctrl-C stops it).`);
  logger.info('Sync service started', { intervalMinutes: minutes });
  if (minutes < 1) out.warn('Intervals under a minute are meant for trials and tests; use 5 minutes or more in production.');
  const summary = await runSyncService({
    intervalMs,
    clock: ctx.platform().clock,
    signal: ctx.abort.signal,
    run: async () => (await syncOnce(ctx, { ...flags.run, compactJson: true })).outcome,
    onRunError: (error) => {
      out.error(error, { compact: true });
    },
    onEvent: (event) => report(ctx, event),
  });
  out.info(`Stopped after ${summary.runs} run(s); the data directory is not locked by this process any more.`);
  logger.info('Sync service stopped', { runs: summary.runs, outcomes: summary.outcomes });
}

/** The service's log lines, unless they would only repeat its messages (text on the terminal). */
function serviceLogger(ctx: CliContext): Logger {
  return ctx.logsBesideMessages() ? silentLogger : ctx.logger();
}

function report(ctx: CliContext, event: SyncServiceEvent): void {
  const out = ctx.output();
  const logger = serviceLogger(ctx);
  switch (event.kind) {
    case 'waiting-for-lock':
      out.info(`The data directory is in use by another dirconn process; waiting up to ${Math.round(event.waitMs / 100) / 10} s.`);
      return;
    case 'skipped': {
      const data = toErrorData(event.error);
      out.warn(`Skipped this run: ${data.message}`);
      logger.warn('Sync run skipped: the data directory is in use by another dirconn process', { code: data.code });
      return;
    }
    case 'run-finished':
      return;
    case 'next-run': {
      const backOff = event.consecutiveFailures >= 2 ? ` (waiting longer after ${event.consecutiveFailures} failed runs in a row)` : '';
      out.info(`Next run at ${event.at.toISOString()}${backOff}.`);
      logger.info('Next sync run scheduled', { at: event.at.toISOString(), delayMs: event.delayMs, consecutiveFailures: event.consecutiveFailures });
      return;
    }
  }
}

/** The `sync.interval` setting (minutes; default 5), read without taking the lock. */
async function savedInterval(ctx: CliContext): Promise<number> {
  const minutes = await ctx.withDeps('sync', (deps) => Promise.resolve(deps.workspace.config.sync.interval), { lock: false });
  if (minutes === null || !Number.isFinite(minutes) || minutes <= 0) {
    throw new DirconnError('config.invalid', 'sync.interval is not set.', { hint: 'Give the minutes with "dirconn sync --interval 15", or set "dirconn config sync.interval 15".' });
  }
  return minutes;
}

function describeMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60 * 10) / 10} seconds`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
