/**
 * A settable `Clock` for tests: `now()` returns the set time, `sleep()` resolves at once, records the
 * requested delay and advances the time by it (so retry/back-off code sees time pass).
 */
import { DirconnError } from '../errors.js';
import type { Clock } from '../ports.js';

export class FakeClock implements Clock {
  private current: number;
  /** Every delay passed to `sleep`, in call order (ms). */
  readonly sleeps: number[] = [];

  /** Starts at `start` (default 2026-01-01T00:00:00Z). */
  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Sets the current time. */
  set(time: Date | string): void {
    this.current = new Date(time).getTime();
  }

  /** Moves the time forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }

  /** Records `ms`, advances the time and resolves immediately; rejects with `cancelled` if the signal is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(new DirconnError('cancelled', 'Cancelled.'));
    this.sleeps.push(ms);
    this.current += ms;
    return Promise.resolve();
  }
}
