/**
 * Typed errors with stable string codes (STYLE.md §5). Core never throws translated text: the
 * `message` is a plain English fallback, the CLI and the desktop map `code` to exit codes and words.
 * Errors must never carry secrets: wrap library errors by code and a safe message only.
 */
import { describeOverride, type SafetyOverride } from './sync/overrides.js';

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

/** A dirconn command (one use case) a hint suggests, e.g. `{ name: 'plan', args: [] }`. */
export interface HintCommand {
  name: string;
  args: string[];
}

/** A setting a hint suggests changing, with a value or a placeholder such as `<n>`. */
export interface HintSetting {
  key: string;
  value: string;
}

/**
 * The next step attached to an error, as data each face renders its own way (the CLI as a command
 * line, the desktop as a button). `template` is an English sentence whose placeholders name the parts:
 * `{command.0}`, `{command.1}`… (an entry of `commands`), `{settings}` (every setting) and
 * `{overrides}` (every one-run override). `text` is the template rendered in the reference (CLI)
 * wording; it is what `DirconnError.hint` holds, for faces and scripts that show plain text.
 */
export interface ErrorHint {
  text: string;
  template: string;
  commands?: HintCommand[];
  settings?: HintSetting[];
  overrides?: SafetyOverride[];
}

/** How a face words each part of an {@link ErrorHint}. */
export interface HintWords {
  command(command: HintCommand): string;
  setting(setting: HintSetting): string;
  override(override: SafetyOverride): string;
}

/** The reference wording (the CLI's): `"dirconn plan"`, `"dirconn config key value"`, `--allow-removals 12`. */
export const REFERENCE_HINT_WORDS: HintWords = {
  command: (c) => `"dirconn ${[c.name, ...c.args].join(' ')}"`,
  setting: (s) => `"dirconn config ${s.key} ${s.value}"`,
  override: describeOverride,
};

/** Fills a hint's template with a face's words. */
export function renderHint(hint: Omit<ErrorHint, 'text'>, words: HintWords): string {
  return hint.template.replace(/\{(command\.\d+|settings|overrides)\}/g, (placeholder: string, part: string) => {
    if (part === 'settings') return (hint.settings ?? []).map((s) => words.setting(s)).join(' / ');
    if (part === 'overrides') return (hint.overrides ?? []).map((o) => words.override(o)).join(' ');
    const command = hint.commands?.[Number(part.slice('command.'.length))];
    return command === undefined ? placeholder : words.command(command);
  });
}

/** Builds an {@link ErrorHint} whose `text` is the template in the reference wording. */
export function errorHint(parts: Omit<ErrorHint, 'text'>): ErrorHint {
  return { ...parts, text: renderHint(parts, REFERENCE_HINT_WORDS) };
}

/** Plain-data form of an error, safe to print as JSON or send over IPC. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  /** The next step as English text (the rendered `action` when there is one). */
  hint?: string;
  /** The next step as data, for faces that render it themselves. */
  action?: ErrorHint;
  details?: unknown;
}

/** Base of every error dirconn raises on purpose. */
export class DirconnError extends Error {
  readonly code: ErrorCode;
  /** The next step as English text: `options.hint`, else `options.action.text`. */
  readonly hint: string | undefined;
  /** The next step as data (see {@link ErrorHint}); faces render it, `hint` is its fallback. */
  readonly action: ErrorHint | undefined;
  /** Structured, secret-free details (e.g. the list of people a safety stop would remove). */
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { hint?: string; action?: ErrorHint; cause?: unknown; details?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DirconnError';
    this.code = code;
    this.hint = options.hint ?? options.action?.text;
    this.action = options.action;
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
    if (this.action !== undefined) data.action = this.action;
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
