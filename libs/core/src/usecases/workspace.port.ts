/**
 * What the use cases need from the store: the configuration, the login references, per-scope sync
 * state and run reports. libs/storage implements it on the locked data file (built by the Node
 * composition root); tests use `MemoryWorkspace` from `@dirconn/core/testing`.
 */
import type { DirconnConfig } from '../config/config.js';
import type { EnvironmentSetting } from '../config/env-settings.js';
import type { SyncState } from '../model/state.js';
import type { RunReport } from './run-report.js';

/** The Bitwarden organization login as stored (the client secret lives in the SecretStore). */
export interface LoginReference {
  /** Organization API client id (`organization.<guid>`). */
  clientId: string;
  /** The organization that client id belongs to. */
  organizationId: string;
}

export interface WorkspacePort {
  /** The effective configuration: the data file's, with the environment's settings in place. */
  readonly config: DirconnConfig;
  /**
   * Settings given by `DIRCONN_<SECTION>_<FIELD>` variables for this run (issue #13 item 3), already
   * in {@link config}; `saveConfig` keeps them out of the data file. Absent or empty when none.
   */
  readonly environment?: readonly EnvironmentSetting[];
  /** Device identifier sent with token requests (stable per installation). */
  readonly appId: string;
  /** Organization API client id (`organization.<guid>`), or null when logged out. */
  readonly clientId: string | null;
  /** The organization id saved with the login, or null when logged out. */
  readonly organizationId: string | null;
  /** Where the data lives, for output (the data file's path). */
  readonly location: string;
  /** State of one scope (organization + directory configuration); undefined when none saved. */
  getState(scope: string): SyncState | undefined;
  /** Scopes that have saved state. */
  stateScopes(): string[];
  /** Saves one scope's state atomically (called only after a successful sync). */
  saveState(scope: string, state: SyncState): Promise<void>;
  /** Saves several scopes' states in one atomic write. */
  saveStates(states: Record<string, SyncState>): Promise<void>;
  /**
   * Replaces the configuration atomically (already validated by the caller). Values equal to an
   * environment setting are not written (the data file keeps its own value).
   */
  saveConfig(config: DirconnConfig): Promise<void>;
  /** Saves the login references, or forgets them with null. */
  saveLogin(login: LoginReference | null): Promise<void>;
  /** Stores a run report (keeps the last 50). */
  writeReport(report: RunReport): Promise<void>;
  /** The newest run reports first, at most `limit`. */
  listReports(limit: number): Promise<RunReport[]>;
}
