/**
 * The one Node composition root (ARCHITECTURE.md "Three faces over one set of use cases"): from the
 * environment it builds the real dependencies of the use cases — the data directory and its lock,
 * the secret store (keychain, env/file overrides, plaintext opt-in) with the registry's bindings,
 * HTTP to Bitwarden (server.caFile, server.allowUnauthorized, HTTPS_PROXY/NO_PROXY), HTTP to cloud
 * directories, the clock, the logger, the source registry and ids. The CLI calls it now; the desktop
 * main process and `dirconn ui` call it the same way.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  applyEnvironmentSettings,
  DirconnError,
  fileErrorCode,
  resolveEnvironmentSettings,
  unknownSettingVariables,
  type EnvironmentSetting,
  type DirconnConfig,
  type FileReader,
  type FileWriter,
  type Clock,
  type HttpClient,
  type Logger,
  type ProviderDefinition,
  type SecretBinding,
  type SecretStore,
  type UseCaseDeps,
} from '@dirconn/core';
import { NodeHttpClient, getProviderDefinition, providerDefinitions, registrySecretBindings } from '@dirconn/providers';
import { createSecretStore, openWorkspace, type Workspace } from '@dirconn/storage';
import { deviceName, deviceTypeForPlatform } from './device.js';
import { nodeFileWriter } from './node-file-writer.js';
import { nodeFiles } from './node-files.js';
import { systemClock } from './system-clock.js';
import { workspacePort } from './workspace-port.js';

/** What the composition root needs to know about the process it runs in. */
export interface NodePlatformOptions {
  /** Environment: data directory, secret overrides, proxy, plaintext opt-in. */
  env: Readonly<Record<string, string | undefined>>;
  /** `process.platform` (device type, keychain name). */
  platform: NodeJS.Platform;
  /** The face's version, sent as the client version and in User-Agent. */
  clientVersion: string;
  /** Where logs go (see `streamLogger`). */
  logger: Logger;
}

/** Options of {@link NodePlatform.withWorkspace}. */
export interface WorkspaceOptions {
  /** Hold the store lock for the whole call (default true; read-only commands pass false). */
  lock?: boolean;
}

/** The built platform: the registry, file access, and use-case deps over an opened data directory. */
export interface NodePlatform {
  /** Every registered source. */
  readonly definitions: readonly ProviderDefinition[];
  /** Where each secret can come from (login + each source), for help and status output. */
  readonly secretBindings: readonly SecretBinding[];
  /** File access for inputs read before a workspace is opened (saved plans). */
  readonly files: FileReader;
  /** Writes the status files of monitored runs (metrics, heartbeat). */
  readonly fileWriter: FileWriter;
  /** Wall time and abortable waits (the `sync --interval` service). */
  readonly clock: Clock;
  /** Opens the data directory (holding the lock unless told not to) for `fn`, and closes it after. */
  withWorkspace<T>(command: string, fn: (deps: UseCaseDeps, workspace: Workspace) => Promise<T>, options?: WorkspaceOptions): Promise<T>;
  /**
   * The use-case deps over an already open workspace, with the environment's settings (see
   * {@link NodePlatform.environmentSettings}; none when not given).
   */
  deps(workspace: Workspace, environment?: readonly EnvironmentSetting[]): UseCaseDeps;
  /**
   * The `DIRCONN_<SECTION>_<FIELD>` settings of the environment, checked like `dirconn config`
   * against the open workspace (throws `config.invalid` naming the first bad variable).
   */
  environmentSettings(workspace: Workspace): Promise<EnvironmentSetting[]>;
}

/** Builds the platform for one process. Nothing is opened, read or contacted until used. */
export function createNodePlatform(options: NodePlatformOptions): NodePlatform {
  const env = options.env;
  const deps = (workspace: Workspace, environment: readonly EnvironmentSetting[] = []): UseCaseDeps => {
    // Built on first use: `config server.caFile <fix>` must work while the CA file is broken, and a
    // malformed DIRCONN_PLAINTEXT_SECRETS only matters to commands that touch secrets.
    let secrets: SecretStore | undefined;
    let http: HttpClient | undefined;
    return {
      workspace: workspacePort(workspace, environment),
      get secrets(): SecretStore {
        return (secrets ??= createSecretStore({ env, workspace, bindings: registrySecretBindings }));
      },
      definitions: providerDefinitions,
      providers: getProviderDefinition,
      files: nodeFiles,
      get http(): HttpClient {
        return (http ??= bitwardenHttp(applyEnvironmentSettings(workspace.data.config, environment).server, env));
      },
      directoryHttp: new NodeHttpClient({ errorCode: 'provider.unreachable', env }),
      clock: systemClock,
      logger: options.logger,
      clientVersion: options.clientVersion,
      deviceType: deviceTypeForPlatform(options.platform),
      deviceName: deviceName(),
      newId: () => randomUUID(),
    };
  };
  let warnedUnknown = false;
  const environmentSettings = async (workspace: Workspace): Promise<EnvironmentSetting[]> => {
    if (!warnedUnknown) {
      warnedUnknown = true;
      for (const name of unknownSettingVariables(providerDefinitions, env)) {
        options.logger.warn(`${name} is set but is not a dirconn setting variable; it is ignored (see "dirconn config --help" for the DIRCONN_<SECTION>_<FIELD> names).`);
      }
    }
    return resolveEnvironmentSettings({ definitions: providerDefinitions, files: nodeFiles, env, stored: workspace.data.config });
  };
  return {
    definitions: providerDefinitions,
    secretBindings: registrySecretBindings,
    files: nodeFiles,
    fileWriter: nodeFileWriter,
    clock: systemClock,
    deps,
    environmentSettings,
    async withWorkspace<T>(command: string, fn: (deps: UseCaseDeps, workspace: Workspace) => Promise<T>, workspaceOptions: WorkspaceOptions = {}): Promise<T> {
      const workspace = await openWorkspace({ lock: workspaceOptions.lock ?? true, command, env });
      try {
        return await fn(deps(workspace, await environmentSettings(workspace)), workspace);
      } finally {
        await workspace.close();
      }
    },
  };
}

/** HTTP to the Bitwarden server with its CA file, TLS setting and the proxy from the environment. */
function bitwardenHttp(server: DirconnConfig['server'], env: Readonly<Record<string, string | undefined>>): HttpClient {
  let ca: string | undefined;
  if (server.caFile) {
    try {
      ca = readFileSync(server.caFile, 'utf8');
    } catch (error) {
      throw new DirconnError('config.invalid', `Cannot read the Bitwarden CA file ${server.caFile} (server.caFile): ${fileErrorCode(error) ?? 'unreadable'}.`, {
        hint: 'Fix the path with "dirconn config server.caFile <path>" or clear it with "dirconn config server.caFile null".',
      });
    }
  }
  return new NodeHttpClient({
    errorCode: 'bitwarden.unreachable',
    ...(ca !== undefined ? { ca } : {}),
    rejectUnauthorized: !server.allowUnauthorized,
    env,
  });
}
