import { describe, expect, it } from '@jest/globals';
import { DirconnError, type Logger, type RunOutcome } from '@dirconn/core';
import { DesktopError } from './desktop-error.js';
import { MemoryScheduleStore } from './schedule-store.js';
import { Scheduler, type SchedulerTimer } from './scheduler.js';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A manual clock and timer: `advance` fires what is due. */
class FakeTime implements SchedulerTimer {
  now = Date.parse('2026-12-04T10:00:00.000Z');
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  set(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now + ms, callback });
    return id;
  }

  clear(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.now);
  }

  /** Moves time forward and fires due timers (letting their promises settle). */
  async advance(ms: number): Promise<void> {
    this.now += ms;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at <= this.now) {
        this.timers.delete(id);
        timer.callback();
      }
    }
    for (let i = 0; i < 20; i++) await Promise.resolve();
  }
}

function setup(run: () => Promise<RunOutcome>, store = new MemoryScheduleStore()) {
  const time = new FakeTime();
  const changes: unknown[] = [];
  const scheduler = new Scheduler({
    store,
    now: () => new Date(time.now),
    timer: time,
    runSync: run,
    defaultIntervalMinutes: async () => 15,
    logger: silent,
    onChange: (status) => changes.push(status),
  });
  return { time, scheduler, store, changes };
}

describe('Scheduler', () => {
  it('runs once at start, then every interval, and persists the outcome', async () => {
    let runs = 0;
    const { time, scheduler, store } = setup(async () => {
      runs++;
      return 'synced';
    });
    await scheduler.start(5);
    await time.advance(0);
    expect(runs).toBe(1);
    expect(scheduler.status()).toMatchObject({ enabled: true, intervalMinutes: 5, lastOutcome: 'synced', nextRunAt: '2026-12-04T10:05:00.000Z' });
    await time.advance(5 * 60_000);
    expect(runs).toBe(2);
    expect(store.saved).toMatchObject({ enabled: true, intervalMinutes: 5, lastRunAt: '2026-12-04T10:05:00.000Z', lastOutcome: 'synced' });
  });

  it('uses the saved sync.interval when start gets none, and refuses less than 5 minutes', async () => {
    const { scheduler } = setup(async () => 'unchanged');
    await expect(scheduler.start()).resolves.toMatchObject({ intervalMinutes: 15 });
    await expect(scheduler.start(4)).rejects.toMatchObject({ code: 'config.invalid' });
  });

  it('skips a tick with a message when the store is locked by another dirconn process', async () => {
    const { time, scheduler } = setup(async () => {
      throw new DirconnError('store.locked', 'The dirconn data directory /d is in use by another dirconn process (pid 9).');
    });
    await scheduler.start(5);
    await time.advance(0);
    expect(scheduler.status()).toMatchObject({ lastOutcome: 'skipped', enabled: true, nextRunAt: '2026-12-04T10:05:00.000Z' });
    expect(scheduler.status().lastMessage).toMatch(/in use by another dirconn process/);
  });

  it('skips a tick when a user action runs in the same process', async () => {
    const { time, scheduler } = setup(async () => {
      throw new DesktopError('desktop.busy', 'Another action (a test) is still running.');
    });
    await scheduler.start(5);
    await time.advance(0);
    expect(scheduler.status()).toMatchObject({ lastOutcome: 'skipped' });
  });

  it('never overlaps itself: a tick during a long run is skipped', async () => {
    let release: (outcome: RunOutcome) => void = () => undefined;
    let runs = 0;
    const { time, scheduler } = setup(
      () =>
        new Promise<RunOutcome>((resolve) => {
          runs++;
          release = resolve;
        }),
    );
    await scheduler.start(5);
    await time.advance(0);
    await time.advance(5 * 60_000);
    expect(runs).toBe(1);
    expect(scheduler.status()).toMatchObject({ lastOutcome: 'skipped', lastMessage: expect.stringMatching(/still running/) });
    release('synced');
    await time.advance(0);
    expect(scheduler.status()).toMatchObject({ lastOutcome: 'synced' });
  });

  it('records a safety stop as such', async () => {
    const { time, scheduler } = setup(async () => {
      throw new DirconnError('sync.safety-stop', 'Safety stop: nothing was sent to Bitwarden.');
    });
    await scheduler.start(5);
    await time.advance(0);
    expect(scheduler.status()).toMatchObject({ lastOutcome: 'safety-stop', lastMessage: 'Safety stop: nothing was sent to Bitwarden.' });
  });

  it('stop clears the timer and is persisted', async () => {
    const { time, scheduler, store } = setup(async () => 'synced');
    await scheduler.start(5);
    await scheduler.stop();
    expect(time.pending).toEqual([]);
    expect(scheduler.status()).toMatchObject({ enabled: false, nextRunAt: null });
    expect(store.saved).toMatchObject({ enabled: false });
  });

  it('resumes after a restart at the time the next run was due', async () => {
    const store = new MemoryScheduleStore({ version: 1, enabled: true, intervalMinutes: 30, lastRunAt: '2026-12-04T09:50:00.000Z', lastOutcome: 'synced', lastMessage: null });
    let runs = 0;
    const { time, scheduler } = setup(async () => {
      runs++;
      return 'synced';
    }, store);
    await expect(scheduler.restore()).resolves.toMatchObject({ enabled: true, nextRunAt: '2026-12-04T10:20:00.000Z' });
    await time.advance(19 * 60_000);
    expect(runs).toBe(0);
    await time.advance(60_000);
    expect(runs).toBe(1);
  });

  it('a stopped saved schedule stays stopped after a restart', async () => {
    const store = new MemoryScheduleStore({ version: 1, enabled: false, intervalMinutes: 30, lastRunAt: null, lastOutcome: null, lastMessage: null });
    const { time, scheduler } = setup(async () => 'synced', store);
    await expect(scheduler.restore()).resolves.toMatchObject({ enabled: false, nextRunAt: null });
    expect(time.pending).toEqual([]);
  });
});
