/**
 * `dirconn clear-cache`: forget the last request hash and delta cursors so the next sync reads
 * everything and posts again (the `clearCache` use case keeps the list of synced members, which is
 * what lets dirconn notice people who left).
 */
import { Command } from 'commander';
import { clearCache } from '@dirconn/core';
import type { CliContext } from '../context.js';

export function clearCacheCommand(ctx: CliContext): Command {
  return new Command('clear-cache').description('Forget the sync cache (hash and delta cursors): the next sync reads everything and posts').action(async () => {
    const result = await ctx.withDeps('clear-cache', (deps) => clearCache(deps));
    ctx.output().result({ cleared: true, scopes: result.scopes }, () => 'The sync cache has been cleared.');
  });
}
