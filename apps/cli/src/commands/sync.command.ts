/** `dirconn sync`: read, plan, check safety, send, remember — once, or every interval as a service. */
import { Command } from 'commander';
import { loadSavedPlan } from '@dirconn/core';
import type { CliContext } from '../context.js';
import { addOverrideOptions, overridesFrom, type OverrideFlags } from './shared.js';
import { syncOnce } from './sync-run.js';

/** The flags of `dirconn sync`. */
interface SyncFlags extends OverrideFlags {
  dryRun?: boolean;
  plan?: string;
  force?: boolean;
  metricsFile?: string;
  heartbeatFile?: string;
}

export function syncCommand(ctx: CliContext): Command {
  const command = new Command('sync')
    .description('Sync the directory into the Bitwarden organization')
    .option('-n, --dry-run', 'show what would change, send nothing (same as "dirconn plan")')
    .option('--plan <file>', 'apply a plan saved by "dirconn plan --output", only if nothing changed since')
    .option('--force', 'read the whole directory (ignore delta cursors)')
    .option('--metrics-file <path>', 'after each run, write Prometheus metrics to this file (atomically; for node_exporter\'s textfile collector)')
    .option('--heartbeat-file <path>', 'after each successful run, touch this file (for health checks)');
  return addOverrideOptions(command, 'run')
    .addHelpText(
      'after',
      '\nExamples:\n  $ dirconn sync --dry-run\n  $ dirconn sync\n  $ dirconn sync --allow-removals 40   # after reviewing "dirconn plan"\n  $ dirconn --json sync > last-run.json\n  $ dirconn --log-format json sync --metrics-file /var/lib/node_exporter/dirconn.prom --heartbeat-file /run/dirconn/heartbeat\n',
    )
    .action(async (options: SyncFlags) => {
      const reviewedPlan = options.plan ? await loadSavedPlan(ctx.platform(), options.plan) : undefined;
      await syncOnce(ctx, {
        dryRun: options.dryRun === true,
        force: options.force === true,
        overrides: overridesFrom(options),
        ...(reviewedPlan ? { reviewedPlan } : {}),
        ...(options.metricsFile !== undefined ? { metricsFile: options.metricsFile } : {}),
        ...(options.heartbeatFile !== undefined ? { heartbeatFile: options.heartbeatFile } : {}),
      });
    });
}
