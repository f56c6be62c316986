/** An API error in plain words: what happened, and what to do about it (the hint), announced at once. */
import type { ApiError } from '../../shared/api-types.js';

/** Shows `error` (nothing when null) in a `role="alert"` box. */
export function ErrorAlert({ error, title }: { error: ApiError | null; title?: string }) {
  if (error === null) return null;
  return (
    <div className="alert alert-error" role="alert" data-code={error.code}>
      {title !== undefined && <p className="alert-title">{title}</p>}
      <p className="alert-message">{error.message}</p>
      {error.hint !== undefined && error.hint !== '' && <p className="alert-hint">What to do: {error.hint}</p>}
    </div>
  );
}

/** A success or information note, read out politely by screen readers. */
export function Notice({ children, tone = 'success' }: { children: React.ReactNode; tone?: 'success' | 'info' | 'warning' }) {
  return (
    <div className={`alert alert-${tone}`} role="status">
      {children}
    </div>
  );
}
