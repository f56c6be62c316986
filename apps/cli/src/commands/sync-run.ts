/**
 * One `dirconn sync` run, shared by the one-shot command and the `--interval` service: takes the
 * store lock, runs the monitored sync (metrics, heartbeat, alerts) under a new run id that every log
 * line of the run carries, and prints the result (human text, or one JSON document).
 */
import { randomUUID } from 'node:crypto';
import { runMonitoredSync, type MonitoredSyncResult, type SyncPlan, type SyncOverrides } from '@dirconn/core';
import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { renderPlan, renderWarnings } from '../render.js';
import { progressReporter } from './shared.js';

/** What one run is asked to do. */
export interface SyncRunOptions {
  dryRun: boolean;
  force: boolean;
  overrides: SyncOverrides;
  reviewedPlan?: SyncPlan;
  metricsFile?: string;
  heartbeatFile?: string;
  /** Print the JSON document on one line (the service prints one per run). */
  compactJson?: boolean;
}

/** Runs one sync with the lock held and prints its result; errors are thrown (the caller maps them). */
export async function syncOnce(ctx: CliContext, options: SyncRunOptions): Promise<MonitoredSyncResult> {
  const runId = randomUUID();
  ctx.runId = runId;
  try {
    return await ctx.withDeps('sync', async (deps) => {
      const result = await runMonitoredSync(deps, { fileWriter: ctx.platform().fileWriter }, {
        runId,
        logRuns: !ctx.logsBesideMessages(),
        dryRun: options.dryRun,
        force: options.force,
        overrides: options.overrides,
        signal: ctx.abort.signal,
        onProgress: progressReporter(ctx),
        ...(options.reviewedPlan ? { reviewedPlan: options.reviewedPlan } : {}),
        ...(options.metricsFile !== undefined ? { metricsFile: options.metricsFile } : {}),
        ...(options.heartbeatFile !== undefined ? { heartbeatFile: options.heartbeatFile } : {}),
      });
      printResult(ctx.output(), result, options.compactJson === true);
      return result;
    });
  } finally {
    ctx.runId = undefined;
  }
}

function printResult(out: Output, result: MonitoredSyncResult, compact: boolean): void {
  const plan = result.plan;
  // --json: what happened, not the whole plan (100+ MB at 100k users; "dirconn plan --json" or
  // "--output" has it). A dry run is a plan, so it keeps the plan.
  const summary = {
    outcome: result.outcome,
    requestsPosted: result.requestsPosted,
    summary: plan.summary,
    safety: plan.safety,
    warnings: plan.warnings,
    removals: plan.changes.filter((c) => c.kind === 'remove'),
    report: result.report.id,
    readMode: plan.readMode,
    orgView: plan.orgView,
    ...(result.monitorWarnings.length > 0 ? { monitorWarnings: result.monitorWarnings } : {}),
    ...(result.outcome === 'dry-run' ? { plan } : {}),
  };
  if (compact && out.options.json) {
    out.jsonLine(summary);
    return;
  }
  out.result(summary, () => {
    if (result.outcome === 'dry-run') return `${renderPlan(result.plan, out)}\n\nDry run: nothing was sent.`;
    const s = result.plan.summary;
    // Read warnings (e.g. deleted AD users not visible to the bind user) are shown on every run.
    const warnings: string[] = [];
    renderWarnings(result.plan, out, warnings);
    const tail = warnings.length > 0 ? `\n${warnings.join('\n')}` : '';
    if (result.outcome === 'unchanged') return `${out.style('green', 'Nothing to do: the directory has not changed since the last successful sync.')}${tail}`;
    return `${out.style('green', `Syncing complete. Sent ${result.requestsPosted} request(s).`)}\nSynced ${s.groupsInDirectory} group(s) and ${s.usersInDirectory} user(s): ${s.invites} invite(s), ${s.removals} removal(s), ${s.membershipAdds + s.membershipRemovals} membership change(s).${tail}`;
  });
}
