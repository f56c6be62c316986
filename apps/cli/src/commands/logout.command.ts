/** `dirconn logout`: forget the organization API key (the directory configuration stays). */
import { Command } from 'commander';
import { logout } from '@dirconn/core';
import type { CliContext } from '../context.js';

export function logoutCommand(ctx: CliContext): Command {
  return new Command('logout').description('Forget the organization API key (keeps the directory settings)').action(async () => {
    const result = await ctx.withDeps('logout', (deps) => logout(deps));
    ctx.warn(result.warnings);
    ctx.output().result({ loggedOut: true, wasLoggedIn: result.wasLoggedIn }, (r) => (r.wasLoggedIn ? 'You have logged out.' : 'You were not logged in.'));
  });
}
