/** A `Logger` writing timestamped lines to a stream (the CLI's stderr, the desktop's log file). */
import type { Logger } from '@dirconn/core';

/** Options of {@link streamLogger}. */
export interface StreamLoggerOptions {
  /** Where lines go, e.g. `process.stderr`. */
  stream: { write(text: string): unknown };
  /** Debug and info lines too (else warnings and errors only). `DIRCONN_DEBUG=true` in `env` turns it on as well. */
  verbose: boolean;
  env?: Readonly<Record<string, string | undefined>>;
}

/** `<ISO time> <LEVEL> <message> <fields as JSON>` per line; fields never hold secrets (Logger contract). */
export function streamLogger(options: StreamLoggerOptions): Logger {
  const verbose = options.verbose || options.env?.['DIRCONN_DEBUG'] === 'true';
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    options.stream.write(`${new Date().toISOString()} ${level} ${message}${suffix}\n`);
  };
  return {
    debug: (m, f) => (verbose ? write('DEBUG', m, f) : undefined),
    info: (m, f) => (verbose ? write('INFO', m, f) : undefined),
    warn: (m, f) => write('WARN', m, f),
    error: (m, f) => write('ERROR', m, f),
  };
}
