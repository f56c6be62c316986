/** `dirconn last-sync users|groups`: ISO time of the last successful sync (empty when never). */
import { Argument, Command } from 'commander';
import { lastSync } from '@dirconn/core';
import type { CliContext } from '../context.js';

export function lastSyncCommand(ctx: CliContext): Command {
  return new Command('last-sync')
    .description('Print when users or groups were last synced successfully (ISO 8601; empty if never)')
    .addArgument(new Argument('<object>', 'users or groups').choices(['users', 'groups']))
    .action(async (object: 'users' | 'groups') => {
      const result = await ctx.withDeps('last-sync', async (deps) => lastSync(deps, object), { lock: false });
      ctx.output().result(result, (r) => r.lastSync ?? '');
    });
}
