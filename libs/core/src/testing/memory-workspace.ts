/**
 * An in-memory `WorkspacePort` for use-case tests: configuration, login, per-scope state and run
 * reports kept in plain objects, with a log of every write so a test can assert what was saved and
 * when (e.g. "state saved only after a successful apply").
 */
import { DEFAULT_SERVER_CONFIG, DEFAULT_SYNC_CONFIG, type DirconnConfig } from '../config/config.js';
import { applyEnvironmentSettings, withoutEnvironmentSettings, type EnvironmentSetting } from '../config/env-settings.js';
import type { SyncState } from '../model/state.js';
import type { RunReport } from '../usecases/run-report.js';
import type { LoginReference, WorkspacePort } from '../usecases/workspace.port.js';

/** One write made through the port, in order. */
export type MemoryWorkspaceWrite =
  | { kind: 'config' }
  | { kind: 'login'; login: LoginReference | null }
  | { kind: 'state'; scopes: string[] }
  | { kind: 'report'; id: string };

/** What a MemoryWorkspace starts with (every part optional). */
export interface MemoryWorkspaceSeed {
  config?: Partial<DirconnConfig>;
  appId?: string;
  login?: LoginReference | null;
  state?: Record<string, SyncState>;
  reports?: RunReport[];
  location?: string;
  /** Settings given by the environment (as the composition root resolves them). */
  environment?: readonly EnvironmentSetting[];
}

/** A fresh configuration with every default (deep copy). */
export function emptyConfig(): DirconnConfig {
  return { server: { ...DEFAULT_SERVER_CONFIG }, directory: null, sync: { ...DEFAULT_SYNC_CONFIG }, directories: {} };
}

/** WorkspacePort kept in memory; values handed out and taken in are copies. */
export class MemoryWorkspace implements WorkspacePort {
  readonly appId: string;
  readonly location: string;
  readonly environment: readonly EnvironmentSetting[];
  /** Every write in order (for assertions). */
  readonly writes: MemoryWorkspaceWrite[] = [];
  #config: DirconnConfig;
  #login: LoginReference | null;
  readonly #state = new Map<string, SyncState>();
  /** Reports, oldest first. */
  readonly reports: RunReport[] = [];

  constructor(seed: MemoryWorkspaceSeed = {}) {
    this.#config = { ...emptyConfig(), ...structuredClone(seed.config ?? {}) };
    this.appId = seed.appId ?? '00000000-0000-4000-8000-0000000000a1';
    this.#login = seed.login ?? null;
    this.location = seed.location ?? 'memory';
    this.environment = seed.environment ?? [];
    for (const [scope, state] of Object.entries(seed.state ?? {})) this.#state.set(scope, structuredClone(state));
    this.reports.push(...structuredClone(seed.reports ?? []));
  }

  get config(): DirconnConfig {
    return structuredClone(applyEnvironmentSettings(this.#config, this.environment));
  }

  /** The configuration as saved (without the environment's settings). */
  get storedConfig(): DirconnConfig {
    return structuredClone(this.#config);
  }

  get clientId(): string | null {
    return this.#login?.clientId ?? null;
  }

  get organizationId(): string | null {
    return this.#login?.organizationId ?? null;
  }

  getState(scope: string): SyncState | undefined {
    const state = this.#state.get(scope);
    return state === undefined ? undefined : structuredClone(state);
  }

  stateScopes(): string[] {
    return [...this.#state.keys()];
  }

  saveState(scope: string, state: SyncState): Promise<void> {
    return this.saveStates({ [scope]: state });
  }

  saveStates(states: Record<string, SyncState>): Promise<void> {
    for (const [scope, state] of Object.entries(states)) this.#state.set(scope, structuredClone(state));
    this.writes.push({ kind: 'state', scopes: Object.keys(states) });
    return Promise.resolve();
  }

  saveConfig(config: DirconnConfig): Promise<void> {
    this.#config = structuredClone(withoutEnvironmentSettings(config, this.#config, this.environment));
    this.writes.push({ kind: 'config' });
    return Promise.resolve();
  }

  saveLogin(login: LoginReference | null): Promise<void> {
    this.#login = login === null ? null : { ...login };
    this.writes.push({ kind: 'login', login: this.#login });
    return Promise.resolve();
  }

  writeReport(report: RunReport): Promise<void> {
    this.reports.push(structuredClone(report));
    this.writes.push({ kind: 'report', id: report.id });
    return Promise.resolve();
  }

  listReports(limit: number): Promise<RunReport[]> {
    return Promise.resolve(structuredClone(this.reports.slice(-limit).reverse()));
  }
}
