/** `dirconn login` / the organization API key: client id + secret, checked against the server. */
import { Command } from 'commander';
import { DirconnError, login, organizationIdFromClientId } from '@dirconn/core';
import type { CliContext } from '../context.js';
import { readSecretInput, type SecretInputOptions } from './secret-input.js';

export function loginCommand(ctx: CliContext): Command {
  return new Command('login')
    .description('Log in with the organization API key (client id and secret from the web vault)')
    .option('--client-id <id>', 'client id, organization.<uuid> (default: $BW_CLIENTID, else prompt)')
    .option('--secretenv <VAR>', 'read the client secret from this environment variable (default: $BW_CLIENTSECRET)')
    .option('--secretfile <file>', 'read the client secret from the first line of this file')
    .option('--no-check', 'save without checking the key against the server')
    .addHelpText(
      'after',
      '\nThe secret is never accepted as an argument.\n\nExamples:\n  $ BW_CLIENTID=organization.3f0c… BW_CLIENTSECRET=… dirconn login\n  $ dirconn login --client-id organization.3f0c… --secretfile /run/secrets/bw\n',
    )
    .action(async (options: SecretInputOptions & { clientId?: string; check: boolean }) => {
      const io = ctx.io;
      let clientId = options.clientId ?? io.env['BW_CLIENTID'];
      if (!clientId) {
        if (!io.prompt) throw new DirconnError('usage', 'No client id given.', { hint: 'Set BW_CLIENTID or pass --client-id organization.<uuid>.' });
        clientId = (await io.prompt('client_id: ', { hidden: false })).trim();
      }
      // A malformed client id is refused before the secret is asked for.
      organizationIdFromClientId(clientId);
      const clientSecret = await readSecretInput(io, options, 'client_secret', 'BW_CLIENTSECRET');
      const result = await ctx.withDeps('login', (deps) => login(deps, { clientId, clientSecret, verify: options.check }));
      ctx.warn(result.warnings);
      ctx.output().result({ loggedIn: true, organizationId: result.organizationId, server: result.server, secretStorage: result.secretStorage }, (r) =>
        `You are logged in to organization ${r.organizationId} (${r.server}).\nThe client secret is stored in: ${r.secretStorage}.`,
      );
    });
}
