/** `dirconn test [--last]`: the directory side of a sync — which users and groups would sync. */
import { Command } from 'commander';
import { runTest, type SyncPlan } from '@dirconn/core';
import type { CliContext } from '../context.js';
import { renderDirectorySide } from '../render.js';
import { progressReporter } from './shared.js';

/** JSON shape compatible with the reference's `test` output, plus a summary. */
export function testResultJson(plan: SyncPlan) {
  const byName = (a: { displayName: string }, b: { displayName: string }) => a.displayName.localeCompare(b.displayName);
  const user = (u: SyncPlan['users'][number]) => ({ externalId: u.externalId, displayName: u.email || u.displayName });
  return {
    object: 'test',
    groups: plan.groups
      .map((g) => ({ externalId: g.externalId, displayName: g.name, userIds: g.userExternalIds }))
      .sort(byName),
    enabledUsers: plan.users.filter((u) => !u.disabled && !u.deleted).map(user).sort(byName),
    disabledUsers: plan.users.filter((u) => u.disabled && !u.deleted).map(user).sort(byName),
    deletedUsers: plan.users.filter((u) => u.deleted).map(user).sort(byName),
    readMode: plan.readMode,
    warnings: plan.warnings,
  };
}

export function testCommand(ctx: CliContext): Command {
  return new Command('test')
    .description('Read the directory and show which users and groups would sync (nothing is sent)')
    .option('-l, --last', 'only what changed since the last successful sync (delta read)')
    .addHelpText('after', '\nExamples:\n  $ dirconn test\n  $ dirconn test --last --json > directory.json\n')
    .action(async (options: { last?: boolean }) => {
      await ctx.withDeps('test', async (deps) => {
        const result = await runTest(deps, {
          last: options.last === true,
          signal: ctx.abort.signal,
          onProgress: progressReporter(ctx),
        });
        ctx.output().result(testResultJson(result.plan), () => renderDirectorySide(result.plan, ctx.output()));
      });
    });
}
