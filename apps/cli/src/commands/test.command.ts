/** `dirconn test [--last]`: the directory side of a sync — which users and groups would sync. */
import { Command } from 'commander';
import { directorySideView, runTest } from '@dirconn/core';
import type { CliContext } from '../context.js';
import { renderDirectorySide } from '../render.js';
import { progressReporter } from './shared.js';

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
        ctx.output().result(directorySideView(result.plan), () => renderDirectorySide(result.plan, ctx.output()));
      });
    });
}
