/**
 * `dirconn clear-cache`: forget the last request hash and delta cursors so the next sync reads
 * everything and posts again. The list of previously synced members is kept: it is what lets dirconn
 * notice people who left, and forgetting it would silently stop deprovisioning.
 */
import { Command } from 'commander';
import type { CliContext } from '../context.js';

export function clearCacheCommand(ctx: CliContext): Command {
  return new Command('clear-cache').description('Forget the sync cache (hash and delta cursors): the next sync reads everything and posts').action(async () => {
    await ctx.withWorkspace('clear-cache', async (workspace) => {
      let scopes = 0;
      await workspace.update((data) => {
        for (const state of Object.values(data.state)) {
          state.lastSyncHash = null;
          state.cursor = null;
          state.lastUserSync = null;
          state.lastGroupSync = null;
          state.lastFullSync = null;
          scopes++;
        }
      });
      ctx.output().result({ cleared: true, scopes }, () => 'The sync cache has been cleared.');
    });
  });
}
