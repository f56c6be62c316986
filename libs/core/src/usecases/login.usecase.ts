/**
 * Log in and out of the Bitwarden organization (`dirconn login` / `logout`, the desktop's login
 * form): check the organization API key against the server, then save the client id and secret.
 */
import { resolveServerUrls } from '../bitwarden/urls.js';
import { hasErrorCode } from '../errors.js';
import type { SecretStore } from '../ports.js';
import { CLIENT_SECRET_ACCOUNT, bitwardenClientFor, organizationIdFromClientId, type UseCaseDeps } from './session.js';
import type { UseCaseWarning } from './use-case-warning.js';

/** What `login` needs: the key as given by the admin. */
export interface LoginInput {
  /** `organization.<uuid>` from the web vault. */
  clientId: string;
  /** The API key's client secret (never logged or returned). */
  clientSecret: string;
  /** Ask the server for a token before saving (default true). */
  verify?: boolean;
}

/** What `login` did. */
export interface LoginResult {
  organizationId: string;
  /** The API URL of the server logged in to. */
  server: string;
  /** Where the client secret is kept (or why it is not). */
  secretStorage: string;
  warnings: UseCaseWarning[];
}

/** Checks the key (unless told not to), stores the secret, then saves the client id. Nothing is saved when the check fails. */
export async function login(deps: UseCaseDeps, input: LoginInput): Promise<LoginResult> {
  const organizationId = organizationIdFromClientId(input.clientId);
  const clientId = input.clientId;
  if (input.verify !== false) {
    await bitwardenClientFor(deps, { clientId, clientSecret: input.clientSecret }).getToken();
  }
  let secretStorage = deps.secrets.description;
  const warnings: UseCaseWarning[] = [];
  try {
    await deps.secrets.set(CLIENT_SECRET_ACCOUNT, input.clientSecret);
  } catch (error) {
    // A headless server without a keychain gives the secret through BW_CLIENTSECRET or
    // DIRCONN_CLIENT_SECRET_FILE at every run (README "Environment"): then there is nothing to
    // store, and the client id must still be saved, or that documented setup cannot log in.
    const fromEnvironment = await runtimeOverride(deps.secrets, input.clientSecret);
    if (!hasErrorCode(error, 'secrets.unavailable') || fromEnvironment === null) throw error;
    secretStorage = `not stored (no OS keychain is reachable); dirconn reads it from ${fromEnvironment} at every run`;
    warnings.push({
      code: 'secrets.not-stored',
      message: `The client secret was not stored: no OS keychain is reachable. Set ${fromEnvironment} for every dirconn run (or use DIRCONN_PLAINTEXT_SECRETS=true).`,
    });
  }
  await deps.workspace.saveLogin({ clientId, organizationId });
  const urls = resolveServerUrls(deps.workspace.config.server);
  return { organizationId, server: urls.api, secretStorage, warnings };
}

/**
 * The environment variable that supplies this very secret at run time (BW_CLIENTSECRET or
 * DIRCONN_CLIENT_SECRET_FILE), or null when none does.
 */
async function runtimeOverride(secrets: SecretStore, secret: string): Promise<string | null> {
  try {
    const active = secrets.overrideFor?.(CLIENT_SECRET_ACCOUNT) ?? null;
    if (active === null) return null;
    return (await secrets.get(CLIENT_SECRET_ACCOUNT)) === secret ? active.name : null;
  } catch {
    return null;
  }
}

/** What `logout` did. */
export interface LogoutResult {
  /** False when there was no login to forget. */
  wasLoggedIn: boolean;
  warnings: UseCaseWarning[];
}

/** Forgets the organization API key (the directory settings stay). */
export async function logout(deps: UseCaseDeps): Promise<LogoutResult> {
  const wasLoggedIn = deps.workspace.clientId !== null;
  const warnings: UseCaseWarning[] = [];
  try {
    await deps.secrets.delete(CLIENT_SECRET_ACCOUNT);
  } catch (error) {
    // No keychain (headless server): the secret was never stored there by this setup (see login);
    // forgetting the client id is what logs out.
    if (!hasErrorCode(error, 'secrets.unavailable')) throw error;
    warnings.push({ code: 'secrets.unavailable', message: 'No OS keychain is reachable, so no client secret could be deleted from it; the client id is forgotten.' });
  }
  await deps.workspace.saveLogin(null);
  return { wasLoggedIn, warnings };
}
