/**
 * `dirconn sync --interval` (issue #13 item 2): a long-lived loop of sync runs. The first run starts
 * at once, the next one an interval (plus a small random jitter, so many installations do not hit
 * the server in the same second) after the previous one ended — never two at once. A store held by
 * another process (the desktop app, a manual CLI run) is waited for briefly, then that run is skipped
 * with a message. A failed run or a safety stop does not end the loop; after repeated failures the
 * wait doubles (up to 8 intervals) so a broken directory or server is not hammered. Aborting the
 * signal (SIGTERM, Ctrl-C) ends the loop: a run in progress stops at its next safe point (the face
 * releases the store lock), a wait ends at once.
 */
import { DirconnError } from '../errors.js';
import type { Clock } from '../ports.js';
import type { RunOutcome } from './run-report.js';

/** What one iteration of the loop came to. */
export type ServiceRunOutcome = Exclude<RunOutcome, 'dry-run'> | 'skipped';

/** Something the face may show or log. */
export type SyncServiceEvent =
  | { kind: 'run-finished'; outcome: ServiceRunOutcome; consecutiveFailures: number }
  | { kind: 'skipped'; error: unknown }
  | { kind: 'waiting-for-lock'; error: unknown; waitMs: number }
  | { kind: 'next-run'; at: Date; delayMs: number; consecutiveFailures: number };

/** Options of {@link runSyncService}. */
export interface SyncServiceOptions {
  /** Time between the end of one run and the start of the next (before jitter and back-off), ms. */
  intervalMs: number;
  clock: Clock;
  /** Ends the loop when aborted. */
  signal: AbortSignal;
  /**
   * One sync run with the store lock held; resolves to its outcome. A rejection is a failed run
   * (`sync.safety-stop` a safety stop, `store.locked` a busy store), handed to `onRunError`.
   */
  run: () => Promise<RunOutcome>;
  /** Told the error of a failed run or a safety stop (the face prints it). */
  onRunError: (error: unknown) => void;
  onEvent?: (event: SyncServiceEvent) => void;
  /** Random number in [0, 1) for the jitter. Default Math.random. */
  random?: () => number;
  /** How long a busy store is waited for before the run is skipped. Default min(60 s, interval / 2). */
  lockWaitMs?: number;
  /** Time between two tries of a busy store. Default a quarter of `lockWaitMs`, from 0.25 to 2 s. */
  lockRetryMs?: number;
}

/** What the loop did, when it ends. */
export interface SyncServiceSummary {
  runs: number;
  outcomes: Partial<Record<ServiceRunOutcome, number>>;
}

/** The longest back-off, in intervals. */
const MAX_BACKOFF_FACTOR = 8;
/** The jitter is at most this share of the delay… */
const JITTER_SHARE = 0.1;
/** …and at most this long. */
const MAX_JITTER_MS = 60_000;

/**
 * The wait before the next run: the interval, doubled for each failure in a row after the first
 * (2, 4, then 8 intervals at most), plus a jitter of up to 10 % (at most a minute).
 */
export function nextRunDelay(intervalMs: number, consecutiveFailures: number, random: () => number = Math.random): number {
  const factor = Math.min(MAX_BACKOFF_FACTOR, 2 ** Math.max(0, consecutiveFailures - 1));
  const base = intervalMs * factor;
  return Math.round(base + random() * Math.min(base * JITTER_SHARE, MAX_JITTER_MS));
}

/** Runs syncs until `signal` aborts (see the file comment). Resolves when stopped; never rejects for a run's error. */
export async function runSyncService(options: SyncServiceOptions): Promise<SyncServiceSummary> {
  const summary: SyncServiceSummary = { runs: 0, outcomes: {} };
  let failures = 0;
  while (!options.signal.aborted) {
    const outcome = await oneRun(options);
    if (outcome === null) break;
    summary.runs += 1;
    summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
    if (outcome === 'failed') failures += 1;
    else if (outcome !== 'skipped') failures = 0;
    options.onEvent?.({ kind: 'run-finished', outcome, consecutiveFailures: failures });
    const delayMs = nextRunDelay(options.intervalMs, failures, options.random);
    options.onEvent?.({ kind: 'next-run', at: new Date(options.clock.now().getTime() + delayMs), delayMs, consecutiveFailures: failures });
    if (!(await pause(options, delayMs))) break;
  }
  return summary;
}

/** One run, waiting for a busy store; null when the loop was stopped during it. */
async function oneRun(options: SyncServiceOptions): Promise<ServiceRunOutcome | null> {
  const lockWaitMs = options.lockWaitMs ?? Math.min(60_000, options.intervalMs / 2);
  const retryMs = options.lockRetryMs ?? Math.min(2000, Math.max(250, lockWaitMs / 4));
  let waited = 0;
  for (;;) {
    try {
      const outcome = await options.run();
      return outcome === 'dry-run' ? 'unchanged' : outcome;
    } catch (error) {
      if (options.signal.aborted) return null;
      const code = DirconnError.is(error) ? error.code : null;
      if (code === 'store.locked') {
        if (waited + retryMs > lockWaitMs) {
          options.onEvent?.({ kind: 'skipped', error });
          return 'skipped';
        }
        if (waited === 0) options.onEvent?.({ kind: 'waiting-for-lock', error, waitMs: lockWaitMs });
        waited += retryMs;
        if (!(await pause(options, retryMs))) return null;
        continue;
      }
      options.onRunError(error);
      return code === 'sync.safety-stop' ? 'safety-stop' : 'failed';
    }
  }
}

/** Sleeps; false when the signal aborted the sleep. */
async function pause(options: SyncServiceOptions, ms: number): Promise<boolean> {
  try {
    await options.clock.sleep(ms, options.signal);
    return true;
  } catch (error) {
    if (options.signal.aborted) return false;
    throw error;
  }
}
