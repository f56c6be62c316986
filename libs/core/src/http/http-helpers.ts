/** Small pure helpers shared by the retrying transport and its users. */
import { DirconnError } from '../errors.js';
import type { Clock, HttpResponse } from '../ports.js';

/** Throws `cancelled` when the signal has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DirconnError('cancelled', 'Cancelled.');
}

/** The `host[:port]` of a URL, or the text itself when it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The Node system error code (`ECONNRESET`…) of a network failure, from the error or its details. */
export function systemCodeOf(error: unknown): string | null {
  if (DirconnError.is(error)) {
    const details = error.details;
    if (typeof details === 'object' && details !== null) {
      const code = (details as { systemCode?: unknown }).systemCode;
      if (typeof code === 'string') return code;
    }
    return null;
  }
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

/** TLS/certificate failures are configuration problems: retrying cannot fix them. */
export function isPermanentNetworkError(error: unknown): boolean {
  if (DirconnError.is(error)) {
    const kind = (error.details as { kind?: unknown } | undefined)?.kind;
    if (kind === 'tls') return true;
  }
  return false;
}

/** `Retry-After` as ms from now: delta seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(response: HttpResponse, clock: Clock): number | null {
  const raw = response.headers['retry-after']?.trim();
  if (raw === undefined || raw === '') return null;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - clock.now().getTime());
}

/** Parses JSON, or undefined when the text is not JSON. */
export function parseJsonOrUndefined(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
