/** The JSON report every sync writes (issue: run reports), kept as the last 50 in the data directory. */
import type { ErrorData } from '../errors.js';
import type { PlannedChange, PlanSummary, SafetyCheck } from '../sync/plan.types.js';
import type { ReadWarning } from '../model/directory.js';

export type RunOutcome = 'synced' | 'unchanged' | 'dry-run' | 'safety-stop' | 'failed';

export interface RunReport {
  id: string;
  command: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: RunOutcome;
  directory: string | null;
  organizationId: string | null;
  readMode: 'full' | 'delta' | null;
  orgView: 'live' | 'directory-only' | null;
  summary: PlanSummary | null;
  /** Requests posted to the server in this run. */
  requestsPosted: number;
  /** Every removal and identity change, and up to 1000 other changes. */
  changes: PlannedChange[];
  changesTruncated: boolean;
  warnings: ReadWarning[];
  safety: { ok: boolean; removalLimit: number; checks: SafetyCheck[] } | null;
  stats: Record<string, number>;
  error: ErrorData | null;
}

const MAX_REPORTED_CHANGES = 1000;

/** Keeps every removal and identity change, and the first 1000 others. */
export function selectReportedChanges(changes: readonly PlannedChange[]): { changes: PlannedChange[]; truncated: boolean } {
  const important = new Set(['remove', 'email-change', 'external-id-change', 'skip']);
  const kept: PlannedChange[] = [];
  let others = 0;
  let truncated = false;
  for (const change of changes) {
    if (important.has(change.kind)) kept.push(change);
    else if (others < MAX_REPORTED_CHANGES) {
      kept.push(change);
      others++;
    } else truncated = true;
  }
  return { changes: kept, truncated };
}
