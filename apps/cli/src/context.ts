/**
 * The CLI's lazy factory (gh's cmdutil.Factory idea): commands ask for what they use — output, the
 * locked workspace, the use-case deps — and nothing is opened before it is needed.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  DirconnError,
  type Clock,
  type DirconnConfig,
  type Logger,
  type RunReport,
  type SyncState,
  type UseCaseDeps,
  type WorkspacePort,
} from '@dirconn/core';
import { NodeHttpClient, getProviderDefinition, registrySecretBindings } from '@dirconn/providers';
import { createSecretStore, openWorkspace, writeRunReport, type Workspace } from '@dirconn/storage';
import { Output, type CliIO } from './output.js';
import { CLI_VERSION } from './version.js';

/** Global flags every command understands. */
export interface GlobalOptions {
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new DirconnError('cancelled', 'Cancelled.'));
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new DirconnError('cancelled', 'Cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Bitwarden device type for this OS's CLI (bitwarden-api.md §2.1). */
export function deviceTypeForPlatform(platform: NodeJS.Platform): number {
  if (platform === 'win32') return 23;
  if (platform === 'darwin') return 24;
  return 25;
}

export class CliContext {
  private outputInstance: Output | undefined;
  readonly abort = new AbortController();

  constructor(
    readonly io: CliIO,
    private readonly globals: () => GlobalOptions,
  ) {}

  get env(): Record<string, string | undefined> {
    return this.io.env;
  }

  output(): Output {
    if (!this.outputInstance) {
      const g = this.globals();
      const json = g.json === true;
      const color = g.color !== false && !json && this.io.stderr.isTTY === true && this.io.env['NO_COLOR'] === undefined;
      this.outputInstance = new Output(this.io, { json, color, quiet: g.quiet === true });
    }
    return this.outputInstance;
  }

  logger(): Logger {
    const verbose = this.globals().verbose === true || this.io.env['DIRCONN_DEBUG'] === 'true';
    const write = (level: string, message: string, fields?: Record<string, unknown>) => {
      const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      this.io.stderr.write(`${new Date().toISOString()} ${level} ${message}${suffix}\n`);
    };
    return {
      debug: (m, f) => (verbose ? write('DEBUG', m, f) : undefined),
      info: (m, f) => (verbose ? write('INFO', m, f) : undefined),
      warn: (m, f) => write('WARN', m, f),
      error: (m, f) => write('ERROR', m, f),
    };
  }

  /** Opens the data directory, holding the cross-process lock until `fn` settles. */
  async withWorkspace<T>(command: string, fn: (workspace: Workspace) => Promise<T>, options: { lock?: boolean } = {}): Promise<T> {
    const workspace = await openWorkspace({ lock: options.lock ?? true, command, env: this.io.env });
    try {
      return await fn(workspace);
    } finally {
      await workspace.close();
    }
  }

  /** The secret store layered for this environment (env/file overrides, keychain or plaintext). */
  secrets(workspace: Workspace) {
    return createSecretStore({ env: this.io.env, workspace, bindings: registrySecretBindings });
  }

  /** Builds the use-case deps over an open workspace. */
  deps(workspace: Workspace): UseCaseDeps {
    const config = workspace.data.config;
    const caFile = config.server.caFile;
    let ca: string | undefined;
    if (caFile) {
      try {
        ca = readFileSync(caFile, 'utf8');
      } catch (error) {
        throw new DirconnError('config.invalid', `Cannot read the Bitwarden CA file ${caFile} (server.caFile): ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}.`, {
          hint: 'Fix the path with "dirconn config server.caFile <path>" or clear it with "dirconn config server.caFile null".',
        });
      }
    }
    return {
      workspace: workspacePort(workspace),
      secrets: this.secrets(workspace),
      providers: getProviderDefinition,
      http: new NodeHttpClient({
        errorCode: 'bitwarden.unreachable',
        ...(ca !== undefined ? { ca } : {}),
        rejectUnauthorized: !config.server.allowUnauthorized,
        env: this.io.env,
      }),
      directoryHttp: new NodeHttpClient({ errorCode: 'provider.unreachable', env: this.io.env }),
      clock: systemClock,
      logger: this.logger(),
      clientVersion: CLI_VERSION,
      deviceType: deviceTypeForPlatform(process.platform),
      deviceName: `dirconn on ${hostname()}`,
      newId: () => randomUUID(),
    };
  }
}

/** Adapts the storage workspace to the port the use cases need. */
export function workspacePort(workspace: Workspace): WorkspacePort {
  return {
    get config(): DirconnConfig {
      return workspace.data.config;
    },
    get appId(): string {
      return workspace.data.appId;
    },
    get clientId(): string | null {
      return workspace.data.auth.clientId;
    },
    getState(scope: string): SyncState | undefined {
      return workspace.data.state[scope];
    },
    async saveState(scope: string, state: SyncState): Promise<void> {
      await workspace.update((data) => {
        data.state[scope] = state;
      });
    },
    async writeReport(report: RunReport): Promise<void> {
      await writeRunReport(workspace.paths.reportsDir, report);
    },
  };
}
