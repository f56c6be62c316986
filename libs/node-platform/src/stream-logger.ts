/** A `Logger` writing timestamped text lines to a stream (the CLI's stderr, the desktop's log file). */
import type { Logger } from '@dirconn/core';
import { LOG_LEVELS, type LogLevel } from './log-level.js';

/** Options of {@link streamLogger}. */
export interface StreamLoggerOptions {
  /** Where lines go, e.g. `process.stderr` or a {@link RotatingFile}. */
  stream: { write(text: string): unknown };
  /** Debug and info lines too (else warnings and errors only). `DIRCONN_DEBUG=true` in `env` turns it on as well. */
  verbose: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  /** The lowest level written; when given it wins over `verbose`. */
  level?: LogLevel;
  /** Fields put on every line (the CLI's current run id), read when a line is written. */
  context?: () => Record<string, unknown>;
}

/** `<ISO time> <LEVEL> <message> <fields as JSON>` per line; fields never hold secrets (Logger contract). */
export function streamLogger(options: StreamLoggerOptions): Logger {
  const verbose = options.verbose || options.env?.['DIRCONN_DEBUG'] === 'true';
  const lowest = LOG_LEVELS.indexOf(options.level ?? (verbose ? 'debug' : 'warn'));
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(level) < lowest) return;
    const all = { ...options.context?.(), ...fields };
    const suffix = Object.keys(all).length > 0 ? ` ${JSON.stringify(all)}` : '';
    options.stream.write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${suffix}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
