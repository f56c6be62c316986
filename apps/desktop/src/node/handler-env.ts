/**
 * What the handlers get (STYLE.md §6: an options object with only what they use, never the
 * container): a way to open the store for one operation, the operation runner, the scheduler and
 * facts about the running face. Electron main and `dirconn ui` build it from the Node composition
 * root; the specs build it over in-memory fakes.
 */
import type { DirconnConfig, UseCaseDeps, WorkspacePort } from '@dirconn/core';
import type { ApiFace } from '../shared/api-types.js';
import type { OperationRunner } from './operations.js';
import type { Scheduler } from './scheduler.js';

/** Where the store lives (for `status` and `about`). */
export interface StoreLocation {
  dataDir: string;
  dataFile: string;
  reportsDir: string;
}

/** Options of {@link HandlerEnv.withStore}. */
export interface StoreOptions {
  /**
   * Hold the store lock for the whole operation (as the CLI does per command). A lock held by
   * another process fails fast with `store.locked`; nothing waits.
   */
  lock: boolean;
}

/** Everything the handler table needs. */
export interface HandlerEnv {
  /** Opens the store for one operation (`command` names it to a process that finds it busy). */
  withStore<T>(command: string, fn: (deps: UseCaseDeps) => Promise<T>, options: StoreOptions): Promise<T>;
  /** Where the store is, without opening it. */
  location: StoreLocation;
  operations: OperationRunner;
  scheduler: Scheduler;
  face: ApiFace;
  version: string;
  /** Runtime versions (node; electron and chrome in the desktop app). */
  runtime: Record<string, string>;
  platform: string;
  /** The desktop app's log file, or null. */
  logFile: string | null;
  /** Opens a folder in the file manager (Electron's shell.openPath); absent in the browser face. */
  openPath?: (path: string) => Promise<void>;
  /** Called after a sync or a change of login (the tray refreshes its status). */
  onStateChange?: () => void;
}

/**
 * A view of `workspace` whose configuration is `config` (an unsaved draft): every other member,
 * reads and writes alike, is the workspace's own. Used to check a sign-in against a server before
 * saving it, and to stage several settings before one write.
 */
export function workspaceWithConfig(workspace: WorkspacePort, config: () => DirconnConfig, saveConfig?: (config: DirconnConfig) => Promise<void>): WorkspacePort {
  return {
    get config() {
      return config();
    },
    get appId() {
      return workspace.appId;
    },
    get clientId() {
      return workspace.clientId;
    },
    get organizationId() {
      return workspace.organizationId;
    },
    get location() {
      return workspace.location;
    },
    getState: (scope) => workspace.getState(scope),
    stateScopes: () => workspace.stateScopes(),
    saveState: (scope, state) => workspace.saveState(scope, state),
    saveStates: (states) => workspace.saveStates(states),
    saveConfig: saveConfig ?? ((next) => workspace.saveConfig(next)),
    saveLogin: (login) => workspace.saveLogin(login),
    writeReport: (report) => workspace.writeReport(report),
    listReports: (limit) => workspace.listReports(limit),
  };
}

/** `deps` with its workspace replaced (getters kept: the secrets and HTTP clients are built lazily). */
export function withWorkspace(deps: UseCaseDeps, workspace: WorkspacePort): UseCaseDeps {
  return Object.create(deps, { workspace: { value: workspace, enumerable: true } }) as UseCaseDeps;
}
