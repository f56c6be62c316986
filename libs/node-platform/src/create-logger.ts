/**
 * The logger of a process from the admin's choices (`--log-format`, `--log-level`, `--log-file`):
 * text or JSON lines, to a stream or to a rotating file. One function for every face, so the CLI and
 * a service log the same way.
 */
import type { Logger } from '@dirconn/core';
import { jsonLogger } from './json-logger.js';
import type { LogFormat, LogLevel } from './log-level.js';
import { RotatingFile } from './rotating-file.js';
import { streamLogger } from './stream-logger.js';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  format: LogFormat;
  level: LogLevel;
  /** Where lines go when there is no file (stderr). */
  stream: { write(text: string): unknown };
  /** A log file rotated by size instead of `stream`; opening it may throw the system error. */
  file?: { path: string; maxBytes?: number; maxFiles?: number };
  /** Fields put on every line (the current run id). */
  context?: () => Record<string, unknown>;
}

/** The logger for `options`; the log file (if any) is opened now. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const stream = options.file
    ? new RotatingFile(options.file.path, {
        ...(options.file.maxBytes !== undefined ? { maxBytes: options.file.maxBytes } : {}),
        ...(options.file.maxFiles !== undefined ? { maxFiles: options.file.maxFiles } : {}),
        onError: (error) => options.stream.write(`dirconn: cannot write the log file ${options.file?.path ?? ''} (${(error as NodeJS.ErrnoException).code ?? String(error)}); log lines are dropped until it works again\n`),
      })
    : options.stream;
  const context = options.context;
  if (options.format === 'json') return jsonLogger({ stream: { write: (text: string) => void stream.write(text) }, level: options.level, ...(context ? { context } : {}) });
  return streamLogger({ stream, verbose: false, level: options.level, ...(context ? { context } : {}) });
}
