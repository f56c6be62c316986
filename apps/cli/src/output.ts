/**
 * One output module (STYLE.md §9): data on stdout (human text, or exactly one JSON document with
 * --json), messages and progress on stderr, colour only on a TTY without NO_COLOR/--no-color.
 */
import { toErrorData, type ErrorData } from '@dirconn/core';
import { renderCliHint } from './hint-words.js';
import { writeJsonDocument } from './json-writer.js';

/** The streams a command talks to; tests pass in-memory ones. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Reads a line from the terminal (echo off when hidden); undefined when prompting is impossible. */
  prompt?: (question: string, options: { hidden: boolean }) => Promise<string>;
}

export interface OutputOptions {
  json: boolean;
  color: boolean;
  quiet: boolean;
}

const codes = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;

export class Output {
  private progressShown = false;

  constructor(
    private readonly io: CliIO,
    readonly options: OutputOptions,
  ) {}

  /** Wraps text in an ANSI style when colour is on. */
  style(name: keyof typeof codes, text: string): string {
    return this.options.color ? `\u001b[${codes[name]}m${text}\u001b[0m` : text;
  }

  /**
   * Prints a command's result: JSON document or human text. The JSON is indented when small and
   * written compact, in chunks, when large (a 100k-user plan), so it never exists as one huge string.
   */
  result<T>(value: T, human: (value: T) => string): void {
    this.clearProgress();
    if (this.options.json) {
      writeJsonDocument(value, (chunk) => this.io.stdout.write(chunk));
      return;
    }
    const text = human(value);
    if (text.length > 0) this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** One JSON document on one line of stdout (the `sync --interval` service prints one per run). */
  jsonLine(value: unknown): void {
    this.clearProgress();
    this.io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** A message for humans on stderr (suppressed with --quiet). */
  info(message: string): void {
    if (this.options.quiet) return;
    this.clearProgress();
    this.io.stderr.write(`${message}\n`);
  }

  warn(message: string): void {
    this.clearProgress();
    this.io.stderr.write(`${this.style('yellow', 'Warning:')} ${message}\n`);
  }

  /** Progress for long reads: a rewritten line on a TTY, occasional lines otherwise. */
  progress(message: string): void {
    if (this.options.quiet) return;
    if (this.io.stderr.isTTY) {
      this.io.stderr.write(`\r\u001b[K${message}`);
      this.progressShown = true;
    } else {
      this.io.stderr.write(`${message}\n`);
    }
  }

  clearProgress(): void {
    if (this.progressShown) {
      this.io.stderr.write('\r\u001b[K');
      this.progressShown = false;
    }
  }

  /**
   * Prints an error: `{error: {...}}` on stdout with --json (on one line with `compact`: the
   * `sync --interval` service prints one document per run), red text on stderr otherwise.
   */
  error(error: unknown, options: { compact?: boolean } = {}): ErrorData {
    this.clearProgress();
    const raw = toErrorData(error);
    // Every error carries a hint (the documented JSON shape is {code, message, hint}).
    // A structured hint is worded by the CLI; `hint` is core's fallback text otherwise.
    const data: ErrorData = { code: raw.code, message: raw.message, hint: raw.action ? renderCliHint(raw.action) : (raw.hint ?? fallbackHint(raw.code)) };
    if (raw.action !== undefined) data.action = raw.action;
    if (raw.details !== undefined) data.details = raw.details;
    if (this.options.json) {
      this.io.stdout.write(`${options.compact === true ? JSON.stringify({ error: data }) : JSON.stringify({ error: data }, null, 2)}\n`);
    } else {
      this.io.stderr.write(`${this.style('red', 'Error:')} ${data.message}\n`);
      if (data.hint) this.io.stderr.write(`${this.style('dim', 'Hint:')} ${data.hint}\n`);
    }
    return data;
  }
}

/** A generic next step for errors raised without a hint of their own. */
export function fallbackHint(code: ErrorData['code']): string {
  switch (code) {
    case 'bitwarden.rejected':
      return 'Bitwarden refused the request for the reason above; fix that in the organization (or the directory data) and run the command again. The run report ("dirconn report --last") lists what was planned.';
    case 'bitwarden.server-error':
    case 'bitwarden.unreachable':
    case 'bitwarden.throttled':
      return 'Try again later; check the server URL ("dirconn config server") and the network.';
    case 'provider.unreachable':
    case 'provider.error':
    case 'provider.incomplete-read':
    case 'provider.throttled':
    case 'provider.tls':
    case 'provider.referral':
    case 'provider.rights':
      return 'Check the directory settings ("dirconn config") and run "dirconn test"; nothing was sent to Bitwarden.';
    case 'usage':
      return 'Run "dirconn --help" (or "dirconn <command> --help") for usage.';
    default:
      return 'Run the command again with --verbose for details.';
  }
}

/** Renders rows as an aligned text table. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
