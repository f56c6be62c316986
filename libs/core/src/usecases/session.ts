/**
 * The composition root shared by the CLI and (later) the desktop main process: given platform deps,
 * resolve the configuration, secrets, provider and Bitwarden client for one command.
 */
import type { DirconnConfig, DirectoryType, SyncConfig } from '../config/config.js';
import { DEFAULT_SYNC_CONFIG } from '../config/config.js';
import { DirconnError } from '../errors.js';
import type { ConfigIssue, ProviderDefinition } from '../model/provider-definition.js';
import { secretAccountFor } from '../model/provider-definition.js';
import { RetryingTransport } from '../http/retrying-transport.js';
import type { DirectoryProvider } from '../model/directory.js';
import type { Clock, FileReader, HttpClient, Logger, SecretStore } from '../ports.js';
import { BitwardenClient } from '../bitwarden/bitwarden-client.js';
import { resolveServerUrls } from '../bitwarden/urls.js';
import { Secret } from '../secret.js';
import { AUTH_SECRET_ACCOUNTS } from '../config/secret-bindings.js';
import type { SyncSource } from '../model/state.js';
import { sourceOf } from '../sync/source-change.js';
import type { WorkspacePort } from './workspace.port.js';

/** Keychain account of the organization API key's secret (reference name). */
export const CLIENT_SECRET_ACCOUNT = AUTH_SECRET_ACCOUNTS.clientSecret;

/** Everything the use cases need from the platform. */
export interface UseCaseDeps {
  workspace: WorkspacePort;
  secrets: SecretStore;
  /** Every registered source, in the order pickers show them (the registry; tests pass their own). */
  definitions: readonly ProviderDefinition[];
  /** Looks up a source by type among `definitions` (throws config.invalid for unknown or unavailable types). */
  providers: (type: DirectoryType) => ProviderDefinition;
  /** Reads files the admin names (path settings, saved plans). */
  files: FileReader;
  /** HTTP to the Bitwarden server (its CA file, TLS setting, proxy). */
  http: HttpClient;
  /** HTTP to cloud directories (proxy, NODE_EXTRA_CA_CERTS), raising `provider.unreachable`. */
  directoryHttp: HttpClient;
  clock: Clock;
  logger: Logger;
  clientVersion: string;
  /** Bitwarden device type sent with token requests (25 Linux CLI, 23 Windows CLI, 24 macOS CLI). */
  deviceType: number;
  deviceName: string;
  /** Source of run and configuration ids (random UUIDs; tests inject fixed ones). */
  newId?: () => string;
}

/** The resolved directory side of a configuration. */
export interface DirectorySetup {
  type: DirectoryType;
  definition: ProviderDefinition;
  config: Record<string, unknown>;
  configId: string;
  sync: SyncConfig;
  /** Keychain account of the source's secret (`secretLdap:<config id>`), or null when it has none. */
  secretAccount: string | null;
}

/** Resolves the chosen directory, its config with defaults, and the effective sync settings. */
export function resolveDirectory(deps: Pick<UseCaseDeps, 'providers'>, config: DirconnConfig): DirectorySetup {
  const type = config.directory;
  if (type === null) {
    throw new DirconnError('config.incomplete', 'No directory is configured.', {
      hint: 'Choose one with "dirconn config directory ldap" (or entra, google, okta, onelogin, sample).',
    });
  }
  const definition = deps.providers(type);
  const stored = config.directories[type] ?? {};
  const merged = { ...definition.defaults, ...stored } as Record<string, unknown>;
  const configId = typeof stored.id === 'string' ? stored.id : 'default';
  const sync = definition.normalizeSync ? definition.normalizeSync({ ...DEFAULT_SYNC_CONFIG, ...config.sync }, merged) : { ...DEFAULT_SYNC_CONFIG, ...config.sync };
  return { type, definition, config: merged, configId, sync, secretAccount: secretAccountFor(definition, configId) };
}

/** Validates the directory setup as a whole and throws one config.incomplete error listing every issue. */
export async function createProvider(deps: UseCaseDeps, setup: DirectorySetup): Promise<DirectoryProvider> {
  const secret = setup.secretAccount === null ? null : await deps.secrets.get(setup.secretAccount);
  const issues: ConfigIssue[] = setup.definition.validate(setup.config, setup.sync, secret !== null);
  if (!setup.sync.users && !setup.sync.groups) {
    issues.push({ key: 'sync.users', message: 'neither users nor groups are enabled for sync (set sync.users and/or sync.groups to true)' });
  }
  if (issues.length > 0) {
    throw new DirconnError('config.incomplete', `The ${setup.definition.label} configuration is incomplete:\n${issues.map((i) => `  - ${i.key}: ${i.message}`).join('\n')}`, {
      hint: 'Set the missing values with "dirconn config <key> <value>" (see "dirconn config --help").',
      details: { issues },
    });
  }
  const transport = new RetryingTransport({
    http: deps.directoryHttp,
    clock: deps.clock,
    logger: deps.logger,
    service: setup.definition.label,
    errorCodes: { unreachable: 'provider.unreachable', throttled: 'provider.throttled', serverError: 'provider.error' },
    headers: { 'User-Agent': `dirconn/${deps.clientVersion}` },
  });
  return setup.definition.create({ config: setup.config, sync: setup.sync, secret, logger: deps.logger, http: deps.directoryHttp, clock: deps.clock, transport });
}

/** Parses `organization.<guid>` into the organization id. */
export function organizationIdFromClientId(clientId: string): string {
  const match = /^organization\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(clientId.trim());
  if (!match?.[1]) {
    throw new DirconnError('config.invalid', `Invalid client id "${clientId}": expected organization.<organization id>, e.g. organization.3f0c7c0e-1b2a-4c3d-9e8f-0a1b2c3d4e5f.`, {
      hint: 'Copy the client_id from the organization\'s Settings → Organization info → API key in the Bitwarden web vault.',
    });
  }
  return match[1].toLowerCase();
}

/** Builds the Bitwarden client from the stored client id and the client secret in the secret store. */
export async function createBitwardenClient(deps: UseCaseDeps): Promise<BitwardenClient> {
  const clientId = deps.workspace.clientId;
  const secret = clientId === null ? null : await deps.secrets.get(CLIENT_SECRET_ACCOUNT);
  if (clientId === null || secret === null) {
    throw new DirconnError('auth.not-logged-in', 'You are not logged in to a Bitwarden organization.', {
      hint: 'Run "dirconn login" with the organization API key (BW_CLIENTID/BW_CLIENTSECRET, --secretfile, or the prompt).',
    });
  }
  return bitwardenClientFor(deps, { clientId, clientSecret: secret });
}

/** Builds a Bitwarden client for explicit credentials (login checks a key before saving it). */
export function bitwardenClientFor(deps: UseCaseDeps, credentials: { clientId: string; clientSecret: string }): BitwardenClient {
  const urls = resolveServerUrls(deps.workspace.config.server);
  return new BitwardenClient({
    http: deps.http,
    clock: deps.clock,
    logger: deps.logger,
    urls: { api: urls.api, identity: urls.identity },
    credentials: { clientId: credentials.clientId, clientSecret: new Secret(credentials.clientSecret) },
    device: { type: deps.deviceType, identifier: deps.workspace.appId, name: deps.deviceName },
    clientVersion: deps.clientVersion,
  });
}

/** A new id from `deps.newId` (configuration ids); the platform must provide one to save configs. */
export function mintId(deps: Pick<UseCaseDeps, 'newId'>): string {
  if (!deps.newId) throw new DirconnError('internal', 'No id source was given to the use cases (UseCaseDeps.newId).');
  return deps.newId();
}

/**
 * State scope: the organization (server API URL + organization id). Who was synced belongs to the
 * organization, not to one directory configuration, so changing a setting (a new server name, a new
 * config id) keeps it (issue #9 item 2). Data files written before schema version 2 keyed the state
 * by organization + directory type + config id; their migration moves it here.
 */
export function stateScope(apiUrl: string, organizationId: string | null): string {
  return `${organizationId ?? 'no-organization'}@${apiUrl}`;
}

/** The source a setup reads (type + its source fields), saved with the state (see `sourceOf`). */
export function sourceOfSetup(setup: DirectorySetup): SyncSource {
  return sourceOf(setup.type, setup.config, setup.definition.sourceFields);
}
