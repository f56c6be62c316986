/**
 * The long operations of one desktop process (test, plan, sync, …): at most one at a time (a second
 * is refused, never queued), each cancellable, its latest read progress visible to `activity`.
 * Whether another process holds the store is the lock's business (`store.locked`), not this one's.
 */
import type { ReadProgress } from '@dirconn/core';
import { DesktopError } from './desktop-error.js';
import type { ActivityResult, OperationName } from '../shared/api-types.js';

/** What a running operation gets: its abort signal and a progress callback. */
export interface OperationControl {
  signal: AbortSignal;
  onProgress: (progress: ReadProgress) => void;
}

interface Running {
  operation: OperationName;
  trigger: 'user' | 'schedule';
  startedAt: Date;
  abort: AbortController;
  progress: ReadProgress | null;
}

/** Runs one long operation at a time and reports on it. */
export class OperationRunner {
  private current: Running | null = null;

  constructor(private readonly now: () => Date) {}

  /** True while an operation runs. */
  get busy(): boolean {
    return this.current !== null;
  }

  /**
   * Runs `fn` as the current operation. Fails with `desktop.busy` when another one runs (the scheduler
   * treats that as "skip this tick").
   */
  async run<T>(operation: OperationName, trigger: 'user' | 'schedule', fn: (control: OperationControl) => Promise<T>): Promise<T> {
    if (this.current !== null) {
      const other = this.current;
      throw new DesktopError('desktop.busy', `Another action (${describe(other.operation)}) is still running.`, 'Wait for it to finish or cancel it, then try again.');
    }
    const running: Running = { operation, trigger, startedAt: this.now(), abort: new AbortController(), progress: null };
    this.current = running;
    try {
      return await fn({
        signal: running.abort.signal,
        onProgress: (progress) => {
          running.progress = progress;
        },
      });
    } finally {
      this.current = null;
    }
  }

  /** Asks the running operation to stop; false when nothing runs. */
  cancel(): boolean {
    if (this.current === null || this.current.abort.signal.aborted) return false;
    this.current.abort.abort();
    return true;
  }

  /** What runs now, for the `activity` method. */
  activity(): ActivityResult {
    const running = this.current;
    if (running === null) return { running: null };
    return {
      running: {
        operation: running.operation,
        trigger: running.trigger,
        startedAt: running.startedAt.toISOString(),
        progress: running.progress === null ? null : { phase: running.progress.phase, count: running.progress.count, total: running.progress.total ?? null },
      },
    };
  }
}

function describe(operation: OperationName): string {
  const words: Record<OperationName, string> = {
    test: 'a test',
    plan: 'a plan',
    explain: 'an explanation',
    syncNow: 'a sync',
    checkConnection: 'a connection check',
    signIn: 'a sign-in',
  };
  return words[operation];
}
