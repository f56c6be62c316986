/** `dirconn sync`: read, plan, check safety, send, remember. */
import { Command } from 'commander';
import { loadSavedPlan, runSync } from '@dirconn/core';
import type { CliContext } from '../context.js';
import { renderPlan, renderWarnings } from '../render.js';
import { addOverrideOptions, overridesFrom, progressReporter, type OverrideFlags } from './shared.js';

export function syncCommand(ctx: CliContext): Command {
  const command = new Command('sync')
    .description('Sync the directory into the Bitwarden organization')
    .option('-n, --dry-run', 'show what would change, send nothing (same as "dirconn plan")')
    .option('--plan <file>', 'apply a plan saved by "dirconn plan --output", only if nothing changed since')
    .option('--force', 'read the whole directory (ignore delta cursors)');
  return addOverrideOptions(command, 'run')
    .addHelpText('after', '\nExamples:\n  $ dirconn sync --dry-run\n  $ dirconn sync\n  $ dirconn sync --allow-removals 40   # after reviewing "dirconn plan"\n  $ dirconn --json sync > last-run.json\n')
    .action(async (options: OverrideFlags & { dryRun?: boolean; plan?: string; force?: boolean }) => {
      const reviewedPlan = options.plan ? await loadSavedPlan(ctx.platform(), options.plan) : undefined;
      await ctx.withDeps('sync', async (deps) => {
        const result = await runSync(deps, {
          dryRun: options.dryRun === true,
          force: options.force === true,
          overrides: overridesFrom(options),
          signal: ctx.abort.signal,
          onProgress: progressReporter(ctx),
          ...(reviewedPlan ? { reviewedPlan } : {}),
        });
        const out = ctx.output();
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
          ...(result.outcome === 'dry-run' ? { plan } : {}),
        };
        out.result(
          summary,
          () => {
            if (result.outcome === 'dry-run') return `${renderPlan(result.plan, out)}\n\nDry run: nothing was sent.`;
            const s = result.plan.summary;
            // Read warnings (e.g. deleted AD users not visible to the bind user) are shown on every run.
            const warnings: string[] = [];
            renderWarnings(result.plan, out, warnings);
            const tail = warnings.length > 0 ? `\n${warnings.join('\n')}` : '';
            if (result.outcome === 'unchanged') return `${out.style('green', 'Nothing to do: the directory has not changed since the last successful sync.')}${tail}`;
            return `${out.style('green', `Syncing complete. Sent ${result.requestsPosted} request(s).`)}\nSynced ${s.groupsInDirectory} group(s) and ${s.usersInDirectory} user(s): ${s.invites} invite(s), ${s.removals} removal(s), ${s.membershipAdds + s.membershipRemovals} membership change(s).${tail}`;
          },
        );
      });
    });
}
