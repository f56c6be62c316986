/** `dirconn sync`: read, plan, check safety, send, remember — once, or every interval as a service. */
import { Command } from 'commander';
import { DirconnError, loadSavedPlan } from '@dirconn/core';
import type { CliContext } from '../context.js';
import { addOverrideOptions, overridesFrom, positiveNumber, type OverrideFlags } from './shared.js';
import { serveSync } from './sync-service.js';
import { syncOnce } from './sync-run.js';

/** The flags of `dirconn sync`. */
interface SyncFlags extends OverrideFlags {
  dryRun?: boolean;
  plan?: string;
  force?: boolean;
  metricsFile?: string;
  heartbeatFile?: string;
  interval?: number | true;
}

export function syncCommand(ctx: CliContext): Command {
  const command = new Command('sync')
    .description('Sync the directory into the Bitwarden organization')
    .option('-n, --dry-run', 'show what would change, send nothing (same as "dirconn plan")')
    .option('--plan <file>', 'apply a plan saved by "dirconn plan --output", only if nothing changed since')
    .option('--force', 'read the whole directory (ignore delta cursors)')
    .option('--metrics-file <path>', 'after each run, write Prometheus metrics to this file (atomically; for node_exporter\'s textfile collector)')
    .option('--heartbeat-file <path>', 'after each successful run, touch this file (for health checks)')
    .option('--interval [minutes]', 'keep running as a service: a sync now, then every <minutes> (fractions allowed; no value: the sync.interval setting) until SIGTERM/Ctrl-C', positiveNumber);
  return addOverrideOptions(command, 'run')
    .addHelpText(
      'after',
      '\nExamples:\n  $ dirconn sync --dry-run\n  $ dirconn sync\n  $ dirconn sync --allow-removals 40   # after reviewing "dirconn plan"\n  $ dirconn --json sync > last-run.json\n  $ dirconn sync --interval 15                  # as a service (systemd, container)\n  $ dirconn --log-format json sync --metrics-file /var/lib/node_exporter/dirconn.prom --heartbeat-file /run/dirconn/heartbeat\n',
    )
    .action(async (options: SyncFlags) => {
      const overrides = overridesFrom(options);
      const status = {
        ...(options.metricsFile !== undefined ? { metricsFile: options.metricsFile } : {}),
        ...(options.heartbeatFile !== undefined ? { heartbeatFile: options.heartbeatFile } : {}),
      };
      if (options.interval !== undefined) {
        // An override allows one reviewed run; repeated forever it would switch the safety checks off.
        if (Object.keys(overrides).length > 0 || options.plan !== undefined || options.dryRun === true) {
          throw new DirconnError('usage', '--interval cannot be combined with --allow-*, --plan or --dry-run: they are meant for one reviewed run.', {
            hint: 'Run "dirconn sync --allow-removals <n>" (or --plan) once by hand; the service picks up from there.',
          });
        }
        await serveSync(ctx, { interval: options.interval, run: { dryRun: false, force: options.force === true, overrides: {}, ...status } });
        return;
      }
      const reviewedPlan = options.plan ? await loadSavedPlan(ctx.platform(), options.plan) : undefined;
      await syncOnce(ctx, { dryRun: options.dryRun === true, force: options.force === true, overrides, ...(reviewedPlan ? { reviewedPlan } : {}), ...status });
    });
}
