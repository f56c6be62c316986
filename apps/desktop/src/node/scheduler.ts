/**
 * The desktop schedule (issue #12): runs a sync every N minutes (N ≥ 5) in the Node process, never
 * in the renderer. No overlap with itself (a tick while a run is going is skipped); a busy store
 * (the CLI or another dirconn process holds the lock) or a busy window skips the tick with a message,
 * it never waits. Start runs once right away, like the reference's "Start Sync"; the schedule is
 * persisted and resumes after a restart at the time it was due.
 */
import { DirconnError, type Logger, type RunOutcome } from '@dirconn/core';
import { MAX_SCHEDULE_MINUTES, MIN_SCHEDULE_MINUTES } from '../shared/api-contract.js';
import type { ScheduleStatus } from '../shared/api-types.js';
import { DesktopError } from './desktop-error.js';
import type { SavedSchedule, ScheduleStore } from './schedule-store.js';

/** setTimeout/clearTimeout, injectable for tests. */
export interface SchedulerTimer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** The real timers. */
export const systemTimer: SchedulerTimer = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What the scheduler needs. */
export interface SchedulerOptions {
  store: ScheduleStore;
  now: () => Date;
  timer?: SchedulerTimer;
  /** Runs one scheduled sync (taking the store lock for the run); resolves to its outcome. */
  runSync: () => Promise<RunOutcome>;
  /** The interval to use when `start` is given none (the saved `sync.interval`). */
  defaultIntervalMinutes: () => Promise<number>;
  logger: Logger;
  /** Told after every change (the tray shows the last run). */
  onChange?: (status: ScheduleStatus) => void;
}

const MINUTE = 60_000;

/** Runs syncs on a fixed interval; see the file comment. */
export class Scheduler {
  private saved: SavedSchedule = { version: 1, enabled: false, intervalMinutes: MIN_SCHEDULE_MINUTES, lastRunAt: null, lastOutcome: null, lastMessage: null };
  private nextRunAt: Date | null = null;
  private handle: unknown = null;
  private running: Promise<void> | null = null;
  private readonly timer: SchedulerTimer;

  constructor(private readonly options: SchedulerOptions) {
    this.timer = options.timer ?? systemTimer;
  }

  /** Loads the saved schedule and, when it was running, arms it for when it is due. */
  async restore(): Promise<ScheduleStatus> {
    const saved = await this.options.store.load();
    if (saved !== null) this.saved = saved;
    if (this.saved.enabled) {
      const now = this.options.now().getTime();
      const due = this.saved.lastRunAt === null ? now : Date.parse(this.saved.lastRunAt) + this.saved.intervalMinutes * MINUTE;
      this.arm(Number.isFinite(due) ? Math.max(now, due) : now);
    }
    return this.status();
  }

  /** Starts (or restarts with a new interval): one run now, then every interval. */
  async start(intervalMinutes?: number): Promise<ScheduleStatus> {
    const interval = intervalMinutes ?? (await this.options.defaultIntervalMinutes());
    if (!Number.isInteger(interval) || interval < MIN_SCHEDULE_MINUTES || interval > MAX_SCHEDULE_MINUTES) {
      throw new DirconnError('config.invalid', `The schedule interval must be a whole number of minutes from ${MIN_SCHEDULE_MINUTES} to ${MAX_SCHEDULE_MINUTES}; got ${interval}.`, {
        hint: `Choose at least ${MIN_SCHEDULE_MINUTES} minutes.`,
      });
    }
    this.saved = { ...this.saved, enabled: true, intervalMinutes: interval };
    await this.persist();
    this.arm(this.options.now().getTime());
    return this.status();
  }

  /** Stops the schedule (a run in progress finishes; nothing new starts). */
  async stop(): Promise<ScheduleStatus> {
    this.disarm();
    this.saved = { ...this.saved, enabled: false };
    await this.persist();
    return this.status();
  }

  /** The schedule as the dashboard shows it. */
  status(): ScheduleStatus {
    return {
      enabled: this.saved.enabled,
      intervalMinutes: this.saved.intervalMinutes,
      nextRunAt: this.saved.enabled && this.nextRunAt !== null ? this.nextRunAt.toISOString() : null,
      lastRunAt: this.saved.lastRunAt,
      lastOutcome: this.saved.lastOutcome,
      lastMessage: this.saved.lastMessage,
    };
  }

  /** Stops the timer without changing the saved schedule (process exit). */
  dispose(): void {
    this.disarm();
  }

  /** One tick: runs a sync unless one is going; records the outcome; re-arms. Exposed for tests. */
  async tick(): Promise<void> {
    this.handle = null;
    if (!this.saved.enabled) return;
    const started = this.options.now();
    this.arm(started.getTime() + this.saved.intervalMinutes * MINUTE);
    if (this.running !== null) {
      await this.record(started, 'skipped', 'Skipped: the previous scheduled sync was still running.');
      return;
    }
    const run = this.runOnce(started);
    this.running = run;
    try {
      await run;
    } finally {
      this.running = null;
    }
  }

  private async runOnce(started: Date): Promise<void> {
    try {
      const outcome = await this.options.runSync();
      await this.record(started, outcome, null);
    } catch (error) {
      const { outcome, message } = describeFailure(error);
      this.options.logger.warn(`Scheduled sync: ${message}`);
      await this.record(started, outcome, message);
    }
  }

  private async record(at: Date, outcome: SavedSchedule['lastOutcome'], message: string | null): Promise<void> {
    this.saved = { ...this.saved, lastRunAt: at.toISOString(), lastOutcome: outcome, lastMessage: message };
    await this.persist();
  }

  private async persist(): Promise<void> {
    try {
      await this.options.store.save(this.saved);
    } catch (error) {
      this.options.logger.warn('Could not save the desktop schedule', { error: error instanceof Error ? error.message : String(error) });
    }
    this.options.onChange?.(this.status());
  }

  private arm(at: number): void {
    this.disarm();
    this.nextRunAt = new Date(at);
    const delay = Math.max(0, at - this.options.now().getTime());
    this.handle = this.timer.set(() => {
      this.tick().catch((error: unknown) => {
        this.options.logger.error('Scheduled sync tick failed', { error: error instanceof Error ? error.message : String(error) });
      });
    }, delay);
  }

  private disarm(): void {
    if (this.handle !== null) this.timer.clear(this.handle);
    this.handle = null;
    this.nextRunAt = null;
  }
}

/** The outcome and plain words of a failed scheduled run. */
function describeFailure(error: unknown): { outcome: SavedSchedule['lastOutcome']; message: string } {
  if (DesktopError.is(error) && error.code === 'desktop.busy') {
    return { outcome: 'skipped', message: `Skipped: ${error.message} The next run is at the next interval.` };
  }
  if (DirconnError.is(error)) {
    if (error.code === 'store.locked') return { outcome: 'skipped', message: 'Skipped: the data is in use by another dirconn process. The next run is at the next interval.' };
    if (error.code === 'sync.safety-stop') return { outcome: 'safety-stop', message: error.message };
    if (error.code === 'cancelled') return { outcome: 'failed', message: 'Cancelled.' };
    return { outcome: 'failed', message: error.hint ? `${error.message} ${error.hint}` : error.message };
  }
  return { outcome: 'failed', message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}` };
}
