/** `dirconn plan`: what a sync would change in the organization, reviewable and savable. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Command } from 'commander';
import { DirconnError, runPlan } from '@dirconn/core';
import type { CliContext } from '../context.js';
import { writeJsonDocument } from '../json-writer.js';
import { renderPlan } from '../render.js';
import { addOverrideOptions, overridesFrom, progressReporter, type OverrideFlags } from './shared.js';

export function planCommand(ctx: CliContext): Command {
  const command = new Command('plan')
    .description('Compare the directory with the live organization and show exactly what a sync would do')
    .option('-o, --output <file>', 'also save the plan as JSON, to apply later with "dirconn sync --plan <file>"')
    .option('--force', 'read the whole directory (ignore delta cursors)');
  return addOverrideOptions(command, 'plan')
    .addHelpText('after', '\nExamples:\n  $ dirconn plan\n  $ dirconn plan --output plan.json && dirconn sync --plan plan.json\n  $ dirconn plan --json | jq \'.changes[] | select(.kind=="remove")\'\n')
    .action(async (options: OverrideFlags & { output?: string; force?: boolean }) => {
      await ctx.withDeps('plan', async (deps) => {
        const result = await runPlan(deps, {
          force: options.force === true,
          overrides: overridesFrom(options),
          signal: ctx.abort.signal,
          onProgress: progressReporter(ctx),
        });
        if (options.output) {
          try {
            writePlanFile(options.output, result.plan);
          } catch (error) {
            throw new DirconnError('usage', `Cannot write the plan to ${options.output}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`);
          }
          ctx.output().info(`Plan saved to ${options.output}. Apply it with "dirconn sync --plan ${options.output}".`);
        }
        ctx.output().result(result.plan, (plan) => renderPlan(plan, ctx.output()));
      });
    });
}

/** Writes the plan file in chunks (compact JSON when large: a 100k-user plan is ~100 MB), mode 0600. */
function writePlanFile(path: string, plan: unknown): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeJsonDocument(plan, (chunk) => {
      const bytes = Buffer.from(chunk, 'utf8');
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    });
  } finally {
    closeSync(fd);
  }
}
