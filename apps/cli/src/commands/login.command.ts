/** `dirconn login` / the organization API key: client id + secret, checked against the server. */
import { Command } from 'commander';
import { CLIENT_SECRET_ACCOUNT, DirconnError, createBitwardenClient, hasErrorCode, organizationIdFromClientId, resolveServerUrls } from '@dirconn/core';
import { EnvSecretSource } from '@dirconn/storage';
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
      const organizationId = organizationIdFromClientId(clientId);
      const secret = await readSecretInput(io, options, 'client_secret', 'BW_CLIENTSECRET');
      await ctx.withWorkspace('login', async (workspace) => {
        const secrets = ctx.secrets(workspace);
        const deps = ctx.deps(workspace);
        if (options.check) {
          // Check the key before saving anything: a memory-only workspace view with the new key.
          const probe = await createBitwardenClient({
            ...deps,
            workspace: { ...deps.workspace, config: deps.workspace.config, appId: deps.workspace.appId, clientId, getState: () => undefined, saveState: async () => undefined, writeReport: async () => undefined },
            secrets: { description: 'memory', get: async (account) => (account === CLIENT_SECRET_ACCOUNT ? secret : null), set: async () => undefined, delete: async () => undefined },
          });
          await probe.getToken();
        }
        let secretStorage = secrets.description;
        try {
          await secrets.set(CLIENT_SECRET_ACCOUNT, secret);
        } catch (error) {
          // A headless server without a keychain gives the secret through BW_CLIENTSECRET or
          // DIRCONN_CLIENT_SECRET_FILE at every run (README "Environment"): then there is nothing to
          // store, and the client id must still be saved, or that documented setup cannot log in.
          const fromEnvironment = await runtimeOverride(io.env, secret);
          if (!hasErrorCode(error, 'secrets.unavailable') || fromEnvironment === null) throw error;
          secretStorage = `not stored (no OS keychain is reachable); dirconn reads it from ${fromEnvironment} at every run`;
          ctx.output().warn(`The client secret was not stored: no OS keychain is reachable. Set ${fromEnvironment} for every dirconn run (or use DIRCONN_PLAINTEXT_SECRETS=true).`);
        }
        await workspace.update((data) => {
          data.auth.clientId = clientId;
          data.auth.organizationId = organizationId;
        });
        const urls = resolveServerUrls(workspace.data.config.server);
        ctx.output().result({ loggedIn: true, organizationId, server: urls.api, secretStorage }, (r) =>
          `You are logged in to organization ${r.organizationId} (${r.server}).\nThe client secret is stored in: ${r.secretStorage}.`,
        );
      });
    });
}

/**
 * The environment variable that supplies this very secret at run time (BW_CLIENTSECRET or
 * DIRCONN_CLIENT_SECRET_FILE), or null when none does.
 */
async function runtimeOverride(env: Record<string, string | undefined>, secret: string): Promise<string | null> {
  const source = new EnvSecretSource(env);
  try {
    const active = source.activeOverride(CLIENT_SECRET_ACCOUNT);
    if (active === null) return null;
    return (await source.get(CLIENT_SECRET_ACCOUNT)) === secret ? active.name : null;
  } catch {
    return null;
  }
}
