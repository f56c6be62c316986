/**
 * Small use cases around the saved state: clear the sync cache, the last successful sync times, the
 * run reports.
 */
import type { SyncState } from '../model/state.js';
import type { RunReport } from './run-report.js';
import { resolveServerUrls } from '../bitwarden/urls.js';
import { stateScope, type UseCaseDeps } from './session.js';

/**
 * Forgets the last request hash and the delta cursors of every scope, so the next sync reads
 * everything and posts again. The list of previously synced members (`syncedUsers`) is kept: it is
 * what lets dirconn notice people who left, and forgetting it would silently stop deprovisioning.
 */
export async function clearCache(deps: Pick<UseCaseDeps, 'workspace'>): Promise<{ scopes: number }> {
  const cleared: Record<string, SyncState> = {};
  for (const scope of deps.workspace.stateScopes()) {
    const state = deps.workspace.getState(scope);
    if (state === undefined) continue;
    cleared[scope] = { ...state, lastSyncHash: null, cursor: null, lastUserSync: null, lastGroupSync: null, lastFullSync: null };
  }
  await deps.workspace.saveStates(cleared);
  return { scopes: Object.keys(cleared).length };
}

/** When users or groups of the current organization and directory were last synced successfully (ISO 8601), or null. */
export function lastSync(deps: Pick<UseCaseDeps, 'workspace' | 'providers'>, object: 'users' | 'groups'): { object: 'users' | 'groups'; lastSync: string | null } {
  const config = deps.workspace.config;
  if (config.directory === null) return { object, lastSync: null };
  const state = deps.workspace.getState(stateScope(resolveServerUrls(config.server).api, deps.workspace.organizationId));
  return { object, lastSync: (object === 'users' ? state?.lastUserSync : state?.lastGroupSync) ?? null };
}

/** The newest run reports first (`limit` of them). */
export async function listReports(deps: Pick<UseCaseDeps, 'workspace'>, options: { limit: number }): Promise<RunReport[]> {
  return deps.workspace.listReports(options.limit);
}
