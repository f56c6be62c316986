/**
 * Private, atomic file I/O for the store: temp file in the same directory (mode 0600) → write →
 * fsync → rename, then fsync the directory so the rename itself survives a power cut. Readers see
 * either the old or the new file, never a half-written one. Also the lowdb adapter built on it.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DirconnError } from '@dirconn/core';
import type { Adapter } from 'lowdb';

/** Mode of every file dirconn writes in the data directory: owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of the data directory and its sub-folders: owner only. */
export const PRIVATE_DIR_MODE = 0o700;

const isWindows = process.platform === 'win32';

/** The Node error code of `error` (`ENOENT`, `EACCES`, …) or undefined. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Wraps a file-system failure as `store.io`, naming the path and the system error code only. */
export function storeIoError(action: string, target: string, error: unknown): DirconnError {
  const code = errnoCode(error) ?? (error instanceof Error ? error.message : String(error));
  const hint =
    code === 'EACCES' || code === 'EPERM'
      ? `Check that ${target} belongs to the user running dirconn (ls -l), or point DIRCONN_DATA_DIR at a writable directory.`
      : code === 'ENOSPC'
        ? 'The disk is full: free some space and run the command again.'
        : `Check that ${target} is reachable and writable, or point DIRCONN_DATA_DIR at another directory.`;
  return new DirconnError('store.io', `Cannot ${action} ${target} (${code}).`, { hint, cause: error });
}

/**
 * Creates `dir` (and parents) if needed and makes sure the directory itself is mode 0700: an
 * existing directory with group/other bits is tightened. Parents are created with 0700 too but are
 * otherwise left alone. No-op for modes on Windows (ACLs apply there).
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    if (isWindows) return;
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) {
      throw new DirconnError('store.io', `${dir} exists but is not a directory.`, {
        hint: 'Move the file away or point DIRCONN_DATA_DIR at a directory.',
      });
    }
    if ((stat.mode & 0o077) !== 0) await fs.chmod(dir, PRIVATE_DIR_MODE);
  } catch (error) {
    if (DirconnError.is(error)) throw error;
    throw storeIoError('create the directory', dir, error);
  }
}

/** Tightens an existing file to 0600 if group/other may read it. Missing file: no-op. */
export async function tightenFileMode(file: string): Promise<void> {
  if (isWindows) return;
  try {
    const stat = await fs.stat(file);
    if ((stat.mode & 0o077) !== 0) await fs.chmod(file, PRIVATE_FILE_MODE);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw storeIoError('set permissions on', file, error);
  }
}

/** Reads a UTF-8 file; null when it does not exist. Other failures → `store.io`. */
export async function readTextFile(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw storeIoError('read', file, error);
  }
}

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * Only create: fail with an `EEXIST` error (a plain Node error, not wrapped) when the target already
   * exists, instead of replacing it. Used when creating the data file so two processes starting at
   * once cannot both create it. Default false.
   */
  exclusive?: boolean;
}

/**
 * Writes `content` to `file` atomically with mode 0600: temp file in the same directory, write,
 * fsync, rename (or hard-link when `exclusive`), fsync of the directory. The temp file is removed
 * on failure. Failures → `store.io`, except the `exclusive` EEXIST case.
 */
export async function writeFileAtomic(file: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let tempExists = false;
  try {
    const handle = await fs.open(temp, 'wx', PRIVATE_FILE_MODE);
    tempExists = true;
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      await linkExclusive(temp, file);
    } else {
      await renameWithRetry(temp, file);
      tempExists = false;
    }
    await syncDirectory(dir);
  } catch (error) {
    if (options.exclusive && errnoCode(error) === 'EEXIST') throw error;
    throw storeIoError('write', file, error);
  } finally {
    if (tempExists) await fs.rm(temp, { force: true });
  }
}

/** Hard-links temp → file (fails with EEXIST if file exists); falls back to check + rename where links are unsupported. */
async function linkExclusive(temp: string, file: string): Promise<void> {
  try {
    await fs.link(temp, file);
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    // File systems without hard links (FAT, some network shares): not atomic against a concurrent
    // creator, but the caller holds or retries around the lock anyway.
    try {
      await fs.access(file);
      throw Object.assign(new Error(`${file} already exists`), { code: 'EEXIST' });
    } catch (accessError) {
      if (errnoCode(accessError) !== 'ENOENT') throw accessError;
    }
    await fs.copyFile(temp, file, fs.constants.COPYFILE_EXCL);
  }
}

/** Windows can refuse a rename for a moment while an antivirus or indexer has the target open. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = errnoCode(error);
      if (!isWindows || attempt >= 10 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/** fsync of a directory makes a rename durable on POSIX; Windows cannot open directories. */
async function syncDirectory(dir: string): Promise<void> {
  if (isWindows) return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems (e.g. certain network mounts) reject fsync on a directory: the data
    // itself was already fsynced, so this is not worth failing the write for.
    if (errnoCode(error) !== 'EINVAL' && errnoCode(error) !== 'ENOTSUP') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * lowdb adapter over a text file with dirconn's atomic, private writes (STYLE.md: lowdb's
 * TextFile idea, our own write path). `read()` resolves null when the file does not exist.
 */
export class AtomicTextFile implements Adapter<string> {
  /** @param file absolute path of the file */
  constructor(readonly file: string) {}

  /** The file's text, or null when it does not exist. */
  read(): Promise<string | null> {
    return readTextFile(this.file);
  }

  /** Replaces the file atomically (mode 0600). */
  write(data: string): Promise<void> {
    return writeFileAtomic(this.file, data);
  }
}
