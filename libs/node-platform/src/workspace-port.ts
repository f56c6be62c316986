/** Adapts a storage `Workspace` (the locked data file) to the port the use cases need. */
import {
  applyEnvironmentSettings,
  withoutEnvironmentSettings,
  type DirconnConfig,
  type EnvironmentSetting,
  type LoginReference,
  type RunReport,
  type SyncState,
  type WorkspacePort,
} from '@dirconn/core';
import { listRunReports, writeRunReport, type Workspace } from '@dirconn/storage';

/**
 * The use cases' view of an open workspace; every write is one atomic `workspace.update`. The
 * configuration seen is the data file's with `environment`'s settings in place; they are never saved.
 */
export function workspacePort(workspace: Workspace, environment: readonly EnvironmentSetting[] = []): WorkspacePort {
  return {
    get config(): DirconnConfig {
      return applyEnvironmentSettings(workspace.data.config, environment);
    },
    environment,
    get appId(): string {
      return workspace.data.appId;
    },
    get clientId(): string | null {
      return workspace.data.auth.clientId;
    },
    get organizationId(): string | null {
      return workspace.data.auth.organizationId;
    },
    get location(): string {
      return workspace.paths.dataFile;
    },
    getState(scope: string): SyncState | undefined {
      return workspace.data.state[scope];
    },
    stateScopes(): string[] {
      return Object.keys(workspace.data.state);
    },
    async saveState(scope: string, state: SyncState): Promise<void> {
      await workspace.update((data) => {
        data.state[scope] = state;
      });
    },
    async saveStates(states: Record<string, SyncState>): Promise<void> {
      await workspace.update((data) => {
        Object.assign(data.state, states);
      });
    },
    async saveConfig(config: DirconnConfig): Promise<void> {
      await workspace.update((data) => {
        data.config = withoutEnvironmentSettings(config, data.config, environment);
      });
    },
    async saveLogin(login: LoginReference | null): Promise<void> {
      await workspace.update((data) => {
        data.auth.clientId = login?.clientId ?? null;
        data.auth.organizationId = login?.organizationId ?? null;
      });
    },
    async writeReport(report: RunReport): Promise<void> {
      await writeRunReport(workspace.paths.reportsDir, report);
    },
    listReports(limit: number): Promise<RunReport[]> {
      return listRunReports(workspace.paths.reportsDir, { limit });
    },
  };
}
