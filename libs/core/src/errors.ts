/**
 * Typed errors with stable string codes (STYLE.md §5). Core never throws translated text: the
 * `message` is a plain English fallback, the CLI and the desktop map `code` to exit codes and words.
 * Errors must never carry secrets: wrap library errors by code and a safe message only.
 */

/** Every error code dirconn can raise. Stable: scripts and the desktop depend on them. */
export type ErrorCode =
  | 'usage'
  | 'config.invalid'
  | 'config.incomplete'
  | 'auth.directory'
  | 'auth.bitwarden'
  | 'auth.not-logged-in'
  | 'provider.unreachable'
  | 'provider.throttled'
  | 'provider.tls'
  | 'provider.incomplete-read'
  | 'provider.rights'
  | 'provider.referral'
  | 'provider.error'
  | 'bitwarden.unreachable'
  | 'bitwarden.throttled'
  | 'bitwarden.rejected'
  | 'bitwarden.server-error'
  | 'sync.duplicate-email'
  | 'sync.duplicate-external-id'
  | 'sync.safety-stop'
  | 'sync.plan-stale'
  | 'store.locked'
  | 'store.corrupt'
  | 'store.io'
  | 'secrets.unavailable'
  | 'secrets.missing'
  | 'cancelled'
  | 'internal';

/** Plain-data form of an error, safe to print as JSON or send over IPC. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  hint?: string;
  details?: unknown;
}

/** Base of every error dirconn raises on purpose. */
export class DirconnError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** Structured, secret-free details (e.g. the list of people a safety stop would remove). */
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown; details?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DirconnError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** Name-based guard: survives module duplication and IPC round trips. */
  static is(value: unknown): value is DirconnError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'DirconnError' &&
      typeof (value as { code?: unknown }).code === 'string'
    );
  }

  toData(): ErrorData {
    const data: ErrorData = { code: this.code, message: this.message };
    if (this.hint !== undefined) data.hint = this.hint;
    if (this.details !== undefined) data.details = this.details;
    return data;
  }
}

/** True when `value` is a DirconnError with the given code. */
export function hasErrorCode(value: unknown, code: ErrorCode): value is DirconnError {
  return DirconnError.is(value) && value.code === code;
}

/** Turns anything thrown into ErrorData without leaking unknown messages' secrets. */
export function toErrorData(value: unknown): ErrorData {
  if (DirconnError.is(value)) return value.toData();
  const message = value instanceof Error ? value.message : String(value);
  return { code: 'internal', message: `Unexpected error: ${message}`, hint: 'This is a bug in dirconn; please report it with the command you ran.' };
}
