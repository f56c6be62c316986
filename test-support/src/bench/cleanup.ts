// Tear-down of a bench run: child processes, servers and temp dirs, also on SIGINT/SIGTERM.
// Test-only: lives in test-support, never shipped.

import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Cleanup actions run once, newest first, on normal end, on error and on SIGINT/SIGTERM. Child
 * processes registered with `track` are killed first.
 */
export class Cleanup {
  readonly #actions: { name: string; fn: () => Promise<void> | void }[] = [];
  readonly #children = new Set<ChildProcess>();
  #ran = false;
  #signalsInstalled = false;

  /** Registers an action; returns a function that runs it now (and unregisters it). */
  add(name: string, fn: () => Promise<void> | void): () => Promise<void> {
    const entry = { name, fn };
    this.#actions.push(entry);
    return async () => {
      const i = this.#actions.indexOf(entry);
      if (i < 0) return;
      this.#actions.splice(i, 1);
      await fn();
    };
  }

  /** True once cleanup has started: no new work should begin. */
  get started(): boolean {
    return this.#ran;
  }

  /** Kills this child (SIGKILL) if it is still running when cleanup runs (at once if it already ran). */
  track(child: ChildProcess): void {
    if (this.#ran) {
      child.kill('SIGKILL');
      return;
    }
    this.#children.add(child);
    child.once('close', () => this.#children.delete(child));
  }

  /** Runs every action (errors are printed, not thrown). */
  async run(): Promise<void> {
    if (this.#ran) return;
    this.#ran = true;
    for (const child of this.#children) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    while (this.#actions.length > 0) {
      const { name, fn } = this.#actions.pop() as { name: string; fn: () => Promise<void> | void };
      try {
        await fn();
      } catch (error) {
        process.stderr.write(`bench: cleanup "${name}" failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }

  /** On SIGINT/SIGTERM: clean up, then exit 130 / 143. */
  installSignalHandlers(): void {
    if (this.#signalsInstalled) return;
    this.#signalsInstalled = true;
    const onSignal = (signal: NodeJS.Signals, code: number): void => {
      process.stderr.write(`\nbench: ${signal}, cleaning up…\n`);
      void this.run().finally(() => process.exit(code));
    };
    process.once('SIGINT', () => onSignal('SIGINT', 130));
    process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  }
}

/** A temp dir removed by cleanup unless `keep`. */
export async function tempDir(cleanup: Cleanup, prefix: string, keep: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (!keep) cleanup.add(`rm ${dir}`, () => rm(dir, { recursive: true, force: true }));
  return dir;
}
