/**
 * A log file with size-based rotation (issue #13 item 4): lines are appended synchronously (nothing
 * is lost when the process exits right after), and when the next line would take the file past
 * `maxBytes` it becomes `<file>.1`, `<file>.1` becomes `<file>.2`, … and the oldest beyond `maxFiles`
 * is dropped. Mode 0600: lines name people (emails), never secrets.
 */
import { closeSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** Options of {@link RotatingFile}. */
export interface RotatingFileOptions {
  /** Size in bytes at which the file is rotated. Default 10 MiB. */
  maxBytes?: number;
  /** Rotated files kept (`<file>.1` … `<file>.<maxFiles>`). Default 5. */
  maxFiles?: number;
  /** Told once when writing fails (disk full…); lines are dropped from then on until a write works. */
  onError?: (error: unknown) => void;
}

/** Default size at which a log file is rotated: 10 MiB. */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** Default number of rotated log files kept. */
export const DEFAULT_LOG_MAX_FILES = 5;

/** An append-only, rotating log file; `write` never throws. */
export class RotatingFile {
  private fd: number;
  private size: number;
  private failing = false;
  private readonly maxBytes: number;
  private readonly maxFiles: number;

  /** Opens (creates) `path` for appending; throws the system error when it cannot be opened. */
  constructor(
    readonly path: string,
    private readonly options: RotatingFileOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_LOG_MAX_FILES);
    this.fd = openSync(path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  /** Appends `text`, rotating first when it would not fit. */
  write(text: string): boolean {
    const bytes = Buffer.from(text, 'utf8');
    try {
      if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate();
      writeSync(this.fd, bytes);
      this.size += bytes.length;
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.options.onError?.(error);
      this.failing = true;
    }
    return true;
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    try {
      rmSync(`${this.path}.${this.maxFiles}`, { force: true });
      for (let i = this.maxFiles - 1; i >= 1; i -= 1) renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      renameIfExists(this.path, `${this.path}.1`);
    } finally {
      // Reopened even when a rename failed, so later lines still have a file to go to.
      this.fd = openSync(this.path, 'a', 0o600);
      this.size = fstatSync(this.fd).size;
    }
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
