/**
 * What the use cases need from the store: the configuration, per-scope sync state and run reports.
 * libs/storage implements it on the locked data file; tests use an in-memory version.
 */
import type { DirconnConfig } from '../config/config.js';
import type { SyncState } from '../model/state.js';
import type { RunReport } from './run-report.js';

export interface WorkspacePort {
  readonly config: DirconnConfig;
  /** Device identifier sent with token requests (stable per installation). */
  readonly appId: string;
  /** Organization API client id (`organization.<guid>`), or null when logged out. */
  readonly clientId: string | null;
  /** State of one scope (organization + directory configuration); undefined when none saved. */
  getState(scope: string): SyncState | undefined;
  /** Saves one scope's state atomically (called only after a successful sync). */
  saveState(scope: string, state: SyncState): Promise<void>;
  /** Stores a run report (keeps the last 50). */
  writeReport(report: RunReport): Promise<void>;
}
