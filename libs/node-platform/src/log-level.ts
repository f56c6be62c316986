/** Log levels and formats shared by the text and JSON loggers. */

/** Levels from the most to the least verbose. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `text`: `<time> <LEVEL> <message> <fields>`; `json`: one JSON object per line. */
export const LOG_FORMATS = ['text', 'json'] as const;

/** One of {@link LOG_FORMATS}. */
export type LogFormat = (typeof LOG_FORMATS)[number];
