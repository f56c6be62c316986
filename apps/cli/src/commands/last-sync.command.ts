/** `dirconn last-sync users|groups`: ISO time of the last successful sync (empty when never). */
import { Argument, Command } from 'commander';
import { getProviderDefinition } from '@dirconn/providers';
import { resolveDirectory, stateScope } from '@dirconn/core';
import type { CliContext } from '../context.js';

export function lastSyncCommand(ctx: CliContext): Command {
  return new Command('last-sync')
    .description('Print when users or groups were last synced successfully (ISO 8601; empty if never)')
    .addArgument(new Argument('<object>', 'users or groups').choices(['users', 'groups']))
    .action(async (object: 'users' | 'groups') => {
      await ctx.withWorkspace(
        'last-sync',
        async (workspace) => {
          const config = workspace.data.config;
          let value: string | null = null;
          if (config.directory !== null) {
            const setup = resolveDirectory({ providers: getProviderDefinition }, config);
            const state = workspace.data.state[stateScope(workspace.data.auth.organizationId, setup)];
            value = (object === 'users' ? state?.lastUserSync : state?.lastGroupSync) ?? null;
          }
          ctx.output().result({ object, lastSync: value }, (r) => r.lastSync ?? '');
        },
        { lock: false },
      );
    });
}
