/** `dirconn logout`: forget the organization API key (the directory configuration stays). */
import { Command } from 'commander';
import { CLIENT_SECRET_ACCOUNT, hasErrorCode } from '@dirconn/core';
import type { CliContext } from '../context.js';

export function logoutCommand(ctx: CliContext): Command {
  return new Command('logout').description('Forget the organization API key (keeps the directory settings)').action(async () => {
    await ctx.withWorkspace('logout', async (workspace) => {
      const wasLoggedIn = workspace.data.auth.clientId !== null;
      try {
        await ctx.secrets(workspace).delete(CLIENT_SECRET_ACCOUNT);
      } catch (error) {
        // No keychain (headless server): the secret was never stored there by this setup (see login);
        // forgetting the client id is what logs out.
        if (!hasErrorCode(error, 'secrets.unavailable')) throw error;
        ctx.output().warn('No OS keychain is reachable, so no client secret could be deleted from it; the client id is forgotten.');
      }
      await workspace.update((data) => {
        data.auth.clientId = null;
        data.auth.organizationId = null;
      });
      ctx.output().result({ loggedOut: true, wasLoggedIn }, (r) => (r.wasLoggedIn ? 'You have logged out.' : 'You were not logged in.'));
    });
  });
}
