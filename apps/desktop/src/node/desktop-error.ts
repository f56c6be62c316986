/**
 * Errors the desktop side raises itself (not the core's): a busy process, an unknown face feature.
 * They cross to the renderer like core errors, as `{code, message, hint}`.
 */

/** Codes of {@link DesktopError}. */
export type DesktopErrorCode = 'desktop.busy' | 'desktop.unavailable';

/** An expected failure of the desktop API itself. */
export class DesktopError extends Error {
  constructor(
    readonly code: DesktopErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'DesktopError';
  }

  /** Name-based guard (like DirconnError.is). */
  static is(value: unknown): value is DesktopError {
    return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'DesktopError';
  }
}
