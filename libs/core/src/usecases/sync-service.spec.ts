import { describe, expect, it } from '@jest/globals';
import { DirconnError } from '../errors.js';
import { FakeClock } from '../testing/fake-clock.js';
import type { RunOutcome } from './run-report.js';
import { nextRunDelay, runSyncService, type SyncServiceEvent } from './sync-service.js';

const MINUTE = 60_000;

/** Runs the loop over a script of run results (an outcome, or an error to throw); stops after the last. */
async function serve(script: (RunOutcome | DirconnError)[], extra: { lockWaitMs?: number; onRun?: (n: number) => void } = {}) {
  const clock = new FakeClock();
  const stop = new AbortController();
  const events: SyncServiceEvent[] = [];
  const errors: unknown[] = [];
  const startTimes: number[] = [];
  let n = 0;
  const summary = await runSyncService({
    intervalMs: 15 * MINUTE,
    clock,
    signal: stop.signal,
    random: () => 0.5,
    lockRetryMs: 2000,
    ...(extra.lockWaitMs !== undefined ? { lockWaitMs: extra.lockWaitMs } : {}),
    run: () => {
      startTimes.push(clock.now().getTime());
      const step = script[n];
      n += 1;
      extra.onRun?.(n);
      if (n >= script.length) stop.abort();
      return step instanceof DirconnError ? Promise.reject(step) : Promise.resolve(step ?? 'unchanged');
    },
    onRunError: (error) => errors.push(error),
    onEvent: (event) => events.push(event),
  });
  return { summary, events, errors, clock, startTimes };
}

describe('nextRunDelay', () => {
  it('is the interval plus up to 10 % (at most a minute) of jitter, doubling after repeated failures up to 8 intervals', () => {
    expect(nextRunDelay(15 * MINUTE, 0, () => 0)).toBe(15 * MINUTE);
    expect(nextRunDelay(15 * MINUTE, 0, () => 0.999)).toBeLessThanOrEqual(16 * MINUTE);
    expect(nextRunDelay(2 * MINUTE, 0, () => 0.5)).toBe(2 * MINUTE + 6000);
    expect([1, 2, 3, 4, 5, 9].map((f) => nextRunDelay(MINUTE, f, () => 0) / MINUTE)).toEqual([1, 2, 4, 8, 8, 8]);
  });
});

describe('runSyncService', () => {
  it('runs at once, then again after each interval; a safety stop and failures do not end it; back-off after repeated failures', async () => {
    const stop = new DirconnError('sync.safety-stop', 'Safety stop.');
    const down = new DirconnError('provider.unreachable', 'Down.');
    const { summary, errors, clock, events } = await serve(['synced', stop, down, down, down, 'unchanged', 'synced']);
    expect(summary).toEqual({ runs: 7, outcomes: { synced: 2, 'safety-stop': 1, failed: 3, unchanged: 1 } });
    expect(errors).toEqual([stop, down, down, down]);
    // Waits between runs, in intervals (jitter: half of 10 %, at most half a minute, with random 0.5): normal, normal, normal (1st failure), 2×, 4×, then normal again.
    expect(clock.sleeps.map((ms) => Math.round((ms / (15 * MINUTE)) * 100) / 100)).toEqual([1.03, 1.03, 1.03, 2.03, 4.03, 1.03]);
    expect(events.filter((e) => e.kind === 'run-finished').map((e) => (e.kind === 'run-finished' ? e.consecutiveFailures : -1))).toEqual([0, 0, 1, 2, 3, 0, 0]);
  });

  it('waits briefly for a busy store, then skips that run with an event and carries on', async () => {
    const locked = new DirconnError('store.locked', 'In use by another dirconn process.');
    const { summary, events, errors, clock } = await serve([locked, locked, locked, locked, 'synced'], { lockWaitMs: 6000 });
    expect(errors).toEqual([]);
    expect(events.map((e) => e.kind)).toEqual(['waiting-for-lock', 'skipped', 'run-finished', 'next-run', 'run-finished', 'next-run']);
    expect(summary.outcomes).toEqual({ skipped: 1, synced: 1 });
    expect(clock.sleeps.slice(0, 3)).toEqual([2000, 2000, 2000]);
  });

  it('stops when aborted during a run without counting it, and never runs two at once', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const summary = await runSyncService({
      intervalMs: MINUTE,
      clock,
      signal: stop.signal,
      run: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        runs += 1;
        await Promise.resolve();
        running -= 1;
        if (runs === 3) {
          stop.abort();
          throw new DirconnError('cancelled', 'Cancelled.');
        }
        return 'synced';
      },
      onRunError: () => {
        throw new Error('a cancelled run is not an error of the service');
      },
    });
    expect(summary).toEqual({ runs: 2, outcomes: { synced: 2 } });
    expect(maxRunning).toBe(1);
  });
});
