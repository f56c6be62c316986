/**
 * The `--log-format json` logger (issue #13 item 4), on pino: one JSON object per line with `time`
 * (ISO 8601), `level`, `message`, the context fields (the CLI's `runId`) and the call's `fields`, for
 * journald, Loki, Elasticsearch or `jq`. Fields never hold secrets (Logger contract); a few
 * well-known secret names are censored anyway in case a caller slips.
 */
import { pino, type DestinationStream } from 'pino';
import type { Logger } from '@dirconn/core';
import type { LogLevel } from './log-level.js';

/** Options of {@link jsonLogger}. */
export interface JsonLoggerOptions {
  /** Where lines go (stderr, a {@link RotatingFile}). Written synchronously. */
  stream: DestinationStream;
  /** The lowest level written. */
  level: LogLevel;
  /** Fields put on every line, read when a line is written (e.g. `{ runId }` during a run). */
  context?: () => Record<string, unknown>;
}

/** Field names censored as `***` wherever they appear in `fields` (one or two levels deep). */
const SECRET_NAMES = ['password', 'secret', 'clientSecret', 'client_secret', 'token', 'accessToken', 'access_token', 'authorization', 'Authorization', 'apiKey'];

/** A `Logger` writing JSON lines through pino. */
export function jsonLogger(options: JsonLoggerOptions): Logger {
  const instance = pino(
    {
      level: options.level,
      base: null,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_NAMES.flatMap((name) => [`fields.${name}`, `fields.*.${name}`]), censor: '***' },
    },
    options.stream,
  );
  const write = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    const context = options.context?.() ?? {};
    instance[level](fields && Object.keys(fields).length > 0 ? { ...context, fields } : context, message);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
