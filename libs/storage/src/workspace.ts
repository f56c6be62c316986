/**
 * A workspace = one data directory opened by one command: the lock (when asked for) plus the loaded
 * data file. `update()` is the only way to change the file: read-modify-write on a copy under the
 * lock, validated, written atomically; nothing is saved if the mutator throws.
 */
import { DirconnError } from '@dirconn/core';
import type { Low } from 'lowdb';
import { resolveDataDir, storePaths, type StorePaths } from './data-dir.js';
import { loadDataFile, type DataFileAdapter } from './data-file.js';
import { DataFileSchemaError, validateDataFile, type DataFile } from './data-file.schema.js';
import { acquireLock, type AcquireLockOptions, type StoreLock } from './lock.js';
import { ensurePrivateDir } from './atomic-file.js';

/** Options of {@link openWorkspace}. */
export interface OpenWorkspaceOptions {
  /** Data directory; default {@link resolveDataDir} of `env`. */
  dataDir?: string;
  /**
   * Hold the cross-process lock until `close()` (the CLI: true for every command that may write).
   * When false, the file is only read at open, and each `update()` takes the lock for its own
   * transaction (the desktop's per-operation model).
   */
  lock: boolean;
  /** The command, named to a process that finds the directory busy, e.g. `dirconn sync`. */
  command: string;
  /** Environment for `DIRCONN_DATA_DIR`; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Lock timing and compromise handling (see {@link AcquireLockOptions}). */
  lockOptions?: Omit<AcquireLockOptions, 'command'>;
  /** Id factory for a new `appId` (tests); default `crypto.randomUUID`. */
  newId?: () => string;
}

/** Paths of an open workspace (see {@link StorePaths}). */
export type WorkspacePaths = StorePaths;

/** An open data directory. */
export interface Workspace {
  /** Where everything lives: `dataDir`, `dataFile`, `reportsDir`, lock paths. */
  readonly paths: WorkspacePaths;
  /**
   * The current data (after the last load or update). Treat it as read-only: changes made to it
   * directly are not saved and are replaced by the next `update()`/`reload()`.
   */
  readonly data: DataFile;
  /** True when this workspace holds the lock until `close()`. */
  readonly locked: boolean;
  /** True when `data.json` did not exist and was created with defaults by this open. */
  readonly created: boolean;
  /**
   * Read-modify-write: runs `mutator` on a deep copy of the data, validates the result and writes
   * it atomically, then makes it the new `data`. If the mutator throws (or returns a rejected
   * promise), nothing is written and `data` is unchanged. Without a held lock, the lock is taken
   * for this transaction and the file is re-read first. Concurrent calls run one after another.
   * @returns what the mutator returned
   */
  update<R>(mutator: (draft: DataFile) => R | Promise<R>): Promise<R>;
  /** Re-reads the file from disk (e.g. the desktop before showing data another process changed). */
  reload(): Promise<DataFile>;
  /** Releases the lock if held. Safe to call more than once; `update()` fails afterwards. */
  close(): Promise<void>;
}

/**
 * Opens a data directory: creates it (0700) if needed, takes the lock when `lock` is true (fails
 * fast with `store.locked`), loads `data.json` (creating it with defaults when missing; migrating
 * and writing back an older version when locked). On failure nothing stays locked.
 */
export async function openWorkspace(options: OpenWorkspaceOptions): Promise<Workspace> {
  const dataDir = options.dataDir ?? resolveDataDir(options.env ?? process.env);
  const paths = storePaths(dataDir);
  await ensurePrivateDir(dataDir);

  const lock = options.lock ? await acquireLock(dataDir, { ...options.lockOptions, command: options.command }) : null;
  try {
    const loaded = await loadDataFile(paths.dataFile, options.newId ? { newId: options.newId } : {});
    if (lock && loaded.needsWrite) {
      lock.assertHeld();
      await loaded.db.write();
    }
    return new OpenWorkspace(paths, options, lock, loaded.db, loaded.adapter, loaded.created);
  } catch (error) {
    await lock?.release().catch(() => undefined);
    throw error;
  }
}

class OpenWorkspace implements Workspace {
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly paths: WorkspacePaths,
    private readonly options: OpenWorkspaceOptions,
    private readonly lock: StoreLock | null,
    private readonly db: Low<DataFile>,
    private readonly adapter: DataFileAdapter,
    readonly created: boolean,
  ) {}

  get data(): DataFile {
    return this.db.data;
  }

  get locked(): boolean {
    return this.lock !== null;
  }

  update<R>(mutator: (draft: DataFile) => R | Promise<R>): Promise<R> {
    const run = this.queue.then(() => this.transaction(mutator));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async reload(): Promise<DataFile> {
    this.assertOpen();
    await this.db.read();
    return this.db.data;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.lock?.release();
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new DirconnError('internal', `The workspace ${this.paths.dataDir} is already closed.`, {
        hint: 'This is a bug in dirconn; please report it with the command you ran.',
      });
    }
  }

  private async transaction<R>(mutator: (draft: DataFile) => R | Promise<R>): Promise<R> {
    this.assertOpen();
    const transientLock = this.lock ? null : await acquireLock(this.paths.dataDir, { ...this.options.lockOptions, command: this.options.command });
    try {
      const lock = this.lock ?? transientLock;
      // Without a lock held for the whole command, another process may have written since we read.
      if (transientLock) await this.db.read();
      // A JSON round trip is the cheapest deep copy here (100k synced users: ~60-120 ms, about
      // half of structuredClone) and gives the mutator exactly what a reload from disk would.
      const draft = JSON.parse(JSON.stringify(this.db.data)) as DataFile;
      const result = await mutator(draft);
      let next: DataFile;
      try {
        next = validateDataFile(draft).data;
      } catch (error) {
        if (!(error instanceof DataFileSchemaError)) throw error;
        throw new DirconnError('internal', `An update of ${this.paths.dataFile} produced invalid data (${error.message}); nothing was saved.`, {
          cause: error,
          hint: 'This is a bug in dirconn; please report it with the command you ran.',
        });
      }
      lock?.assertHeld();
      await this.adapter.write(next);
      this.db.data = next;
      return result;
    } finally {
      await transientLock?.release();
    }
  }
}
