/**
 * The cross-process lock on a data directory (STYLE.md §12). The CLI holds it for a whole command,
 * the desktop for each operation. Built on proper-lockfile: an atomic `mkdir` of
 * `<dataDir>/dirconn.lock` whose mtime the holder refreshes every `updateMs`; a lock not refreshed
 * for `staleMs` (its holder crashed or was killed) is taken over. proper-lockfile also removes the
 * lock when the process exits normally or on a signal. A busy lock fails fast with `store.locked`
 * naming the holder from the `dirconn.lock.json` sidecar.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { DirconnError } from '@dirconn/core';
import { lock as lockFile } from 'proper-lockfile';
import { ensurePrivateDir, errnoCode, readTextFile, storeIoError, writeFileAtomic } from './atomic-file.js';
import { storePaths } from './data-dir.js';

/** Default time after which a lock that is no longer refreshed counts as abandoned: 15 s. */
export const DEFAULT_LOCK_STALE_MS = 15_000;
/** Default refresh interval of a held lock: 5 s. */
export const DEFAULT_LOCK_UPDATE_MS = 5_000;

/** Options of {@link acquireLock}. */
export interface AcquireLockOptions {
  /** What the holder is doing, shown to a process that finds the lock busy, e.g. `dirconn sync`. */
  command: string;
  /** Milliseconds without refresh after which the lock is considered abandoned (min 2000). Default 15000. */
  staleMs?: number;
  /** Milliseconds between refreshes (min 1000, at most staleMs/2). Default 5000. */
  updateMs?: number;
  /**
   * Called once if the lock is lost while held (lock directory removed, or not refreshed in time
   * because the event loop was blocked for longer than `staleMs`). The handle's `assertHeld()`
   * throws the same error from then on. Default: a process warning on stderr
   * (`DirconnLockWarning`), never an uncaught exception.
   */
  onCompromised?: (error: DirconnError) => void;
}

/** Who holds a lock, as recorded in `dirconn.lock.json`. */
export interface LockOwner {
  /** Process id of the holder. */
  pid: number;
  /** Command it runs, e.g. `dirconn sync`. */
  command: string;
  /** Host name of the holder (the data directory may live on a shared disk). */
  hostname: string;
  /** ISO time the lock was taken. */
  since: string;
}

/** A held lock. */
export interface StoreLock {
  /** The locked data directory. */
  readonly dataDir: string;
  /** The error describing how the lock was lost, or null while it is held. */
  readonly compromised: DirconnError | null;
  /** Throws the `store.locked` error when the lock was lost; call before every write. */
  assertHeld(): void;
  /** Releases the lock and removes the owner sidecar. Safe to call more than once. */
  release(): Promise<void>;
}

/**
 * Takes the lock on `dataDir` (created with mode 0700 if missing) without waiting.
 * Throws `store.locked` when another process holds it, `store.io` when the directory is unusable.
 */
export async function acquireLock(dataDir: string, options: AcquireLockOptions): Promise<StoreLock> {
  const paths = storePaths(dataDir);
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const updateMs = options.updateMs ?? DEFAULT_LOCK_UPDATE_MS;
  await ensurePrivateDir(dataDir);

  let compromised: DirconnError | null = null;
  const onCompromised = (cause: Error): void => {
    if (compromised) return;
    compromised = new DirconnError(
      'store.locked',
      `The lock on the dirconn data directory ${dataDir} was lost while "${options.command}" was running (${errnoCode(cause) ?? cause.message}); nothing more is saved by this process.`,
      {
        hint: `Another dirconn process may have taken over the data directory (the lock was not refreshed for ${Math.round(staleMs / 1000)} s, e.g. after the machine slept). Check the result of this run with "dirconn status" and run the command again.`,
        cause,
      },
    );
    if (options.onCompromised) options.onCompromised(compromised);
    else process.emitWarning(compromised.message, { type: 'DirconnLockWarning', detail: compromised.hint });
  };

  let unlock: () => Promise<void>;
  try {
    // The lock target is data.json, which may not exist yet (realpath: false); the lock itself is
    // the dedicated dirconn.lock directory, distinct from bwdc's data.json.lock.
    unlock = await lockFile(paths.dataFile, {
      realpath: false,
      lockfilePath: paths.lockDir,
      stale: staleMs,
      update: updateMs,
      retries: 0,
      onCompromised,
    });
  } catch (error) {
    if (errnoCode(error) === 'ELOCKED') throw await lockedError(dataDir, staleMs);
    throw storeIoError('lock the data directory', dataDir, error);
  }

  const owner: LockOwner = { pid: process.pid, command: options.command, hostname: os.hostname(), since: new Date().toISOString() };
  try {
    await writeFileAtomic(paths.lockOwnerFile, `${JSON.stringify(owner)}\n`);
  } catch (error) {
    await unlock().catch(() => undefined);
    throw error;
  }

  let released: Promise<void> | null = null;
  const release = async (): Promise<void> => {
    // Remove our sidecar first, so it never outlives the lock and names us for someone else's lock.
    const current = await readLockOwner(dataDir).catch(() => null);
    if (current?.pid === owner.pid && current.since === owner.since) {
      await fs.rm(paths.lockOwnerFile, { force: true }).catch(() => undefined);
    }
    try {
      await unlock();
    } catch (error) {
      // ERELEASED: already released by proper-lockfile after a compromise; nothing left to do.
      if (errnoCode(error) !== 'ERELEASED') throw storeIoError('unlock the data directory', dataDir, error);
    }
  };

  return {
    dataDir,
    get compromised() {
      return compromised;
    },
    assertHeld() {
      if (compromised) throw compromised;
    },
    release() {
      released ??= release();
      return released;
    },
  };
}

/** Reads the owner sidecar of `dataDir`; null when absent or unreadable. */
export async function readLockOwner(dataDir: string): Promise<LockOwner | null> {
  let text: string | null;
  try {
    text = await readTextFile(storePaths(dataDir).lockOwnerFile);
  } catch {
    return null;
  }
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.command !== 'string') return null;
    return {
      pid: parsed.pid,
      command: parsed.command,
      hostname: typeof parsed.hostname === 'string' ? parsed.hostname : '',
      since: typeof parsed.since === 'string' ? parsed.since : '',
    };
  } catch {
    return null;
  }
}

/** True when `pid` runs on this machine (EPERM: it runs, as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

async function lockedError(dataDir: string, staleMs: number): Promise<DirconnError> {
  const owner = await readLockOwner(dataDir);
  const seconds = Math.round(staleMs / 1000);
  const local = owner !== null && (owner.hostname === '' || owner.hostname === os.hostname());
  let holder = 'pid unknown';
  let hint = `Wait for the other dirconn command to finish and run this one again. A lock left by a crashed process is recovered automatically after ${seconds} seconds.`;
  if (owner) {
    holder = `pid ${owner.pid}${local ? '' : ` on ${owner.hostname}`}, "${owner.command}"${owner.since ? `, since ${owner.since}` : ''}`;
    const check = process.platform === 'win32' ? `tasklist /FI "PID eq ${owner.pid}"` : `ps -p ${owner.pid}`;
    if (local && !processRuns(owner.pid)) {
      holder += ', which no longer runs';
      hint = `The holder has exited without releasing the lock; it is recovered automatically within ${seconds} seconds. Run the command again then.`;
    } else {
      hint = `Wait for it to finish and run this command again (check it with "${check}"${local ? '' : ` on ${owner.hostname}`}). A lock left by a crashed process is recovered automatically after ${seconds} seconds.`;
    }
  }
  return new DirconnError('store.locked', `The dirconn data directory ${dataDir} is in use by another dirconn process (${holder}).`, {
    hint,
    details: { dataDir, owner },
  });
}
