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
  /** Every removal and identity change, and other changes up to 1000 entries (a membership change counts its members). */
  changes: PlannedChange[];
  changesTruncated: boolean;
  warnings: ReadWarning[];
  safety: { ok: boolean; removalLimit: number; checks: SafetyCheck[] } | null;
  stats: Record<string, number>;
  error: ErrorData | null;
}

const MAX_REPORTED_CHANGES = 1000;

/**
 * Keeps every removal and identity change, and other changes up to 1000 entries, where an aggregated
 * group membership change counts as its number of members: the one that crosses the limit is kept
 * with its `members` list shortened (its `count` still says how many there are), later ones are
 * dropped; `truncated` tells.
 */
export function selectReportedChanges(changes: readonly PlannedChange[]): { changes: PlannedChange[]; truncated: boolean } {
  const important = new Set(['remove', 'email-change', 'external-id-change', 'skip']);
  const kept: PlannedChange[] = [];
  let budget = MAX_REPORTED_CHANGES;
  let truncated = false;
  for (const change of changes) {
    if (important.has(change.kind)) {
      kept.push(change);
      continue;
    }
    if (budget <= 0) {
      truncated = true;
      continue;
    }
    const members = change.members;
    if (members === undefined) {
      kept.push(change);
      budget -= 1;
    } else if (members.length <= budget) {
      kept.push(change);
      budget -= Math.max(1, members.length);
    } else {
      kept.push({ ...change, members: members.slice(0, budget), count: change.count ?? members.length });
      budget = 0;
      truncated = true;
    }
  }
  return { changes: kept, truncated };
}
