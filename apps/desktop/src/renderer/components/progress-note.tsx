/** The live line for a running operation: read out by screen readers as it changes. */
import type { ActivityResult } from '../../shared/api-types.js';

/** "Reading users: 1200 of 5000…" from the activity poll, or `fallback` before the first progress. */
export function describeProgress(running: ActivityResult['running'], fallback: string): string {
  const progress = running?.progress ?? null;
  if (progress === null) return fallback;
  const total = progress.total === null ? '' : ` of ${progress.total}`;
  return `${progress.phase}: ${progress.count}${total}…`;
}

/** A `role="status"` line (polite live region); renders an empty region when idle so updates are announced. */
export function ProgressNote({ text }: { text: string | null }) {
  return (
    <p className="progress" role="status" aria-live="polite">
      {text !== null && (
        <>
          <span className="spinner" aria-hidden="true" /> {text}
        </>
      )}
    </p>
  );
}
