/**
 * Handlers for the session and the store: status, sign-in (verified before anything is saved),
 * logout, last sync times, reports, clearing the cache, about. Each calls a core use case through
 * the store opened for that one operation.
 */
import {
  clearCache,
  lastSync,
  listReports,
  login,
  logout,
  parseSettingValue,
  requireConfigKey,
  type DirconnConfig,
  type UseCaseDeps,
} from '@dirconn/core';
import path from 'node:path';
import { DesktopError } from './desktop-error.js';
import type { ApiHandlers } from './dispatch.js';
import { workspaceWithConfig, withWorkspace, type HandlerEnv } from './handler-env.js';
import { serverStatus } from './views.js';
import type { ApiParsedInput } from '../shared/api-contract.js';

type AccountMethods = 'status' | 'signIn' | 'logout' | 'lastSync' | 'reports' | 'clearCache' | 'about' | 'openFolder';

/** The server settings for a sign-in choice, parsed by the same validators as `dirconn config server …`. */
export function serverForChoice(deps: UseCaseDeps, current: DirconnConfig['server'], choice: ApiParsedInput<'signIn'>['server']): DirconnConfig['server'] {
  const parse = (key: string, raw: string): string | null => {
    const value = parseSettingValue(requireConfigKey(deps.definitions, key), raw);
    return typeof value === 'string' ? value : null;
  };
  switch (choice.kind) {
    case 'us':
      return { ...current, base: null, api: null, identity: null };
    case 'eu':
      return { ...current, base: 'eu', api: null, identity: null };
    case 'self-hosted':
      return { ...current, base: parse('server', choice.url), api: null, identity: null };
    case 'custom':
      return { ...current, base: null, api: parse('server.api', choice.apiUrl), identity: parse('server.identity', choice.identityUrl) };
  }
}

/** The account and store handlers. */
export function accountHandlers(env: HandlerEnv): Pick<ApiHandlers, AccountMethods> {
  return {
    status: (_input, call) =>
      env.withStore(
        'status',
        async (deps) => {
          const config = deps.workspace.config;
          const definition = config.directory === null ? undefined : deps.definitions.find((d) => d.type === config.directory);
          return {
            loggedIn: deps.workspace.clientId !== null,
            clientId: deps.workspace.clientId,
            organizationId: deps.workspace.organizationId,
            server: serverStatus(config.server),
            directory: config.directory === null ? null : { type: config.directory, label: definition?.label ?? config.directory },
            dataDir: env.location.dataDir,
            version: env.version,
            face: call.face,
          };
        },
        { lock: false },
      ),

    signIn: (input) =>
      env.operations.run('signIn', 'user', () =>
        env.withStore(
          'desktop sign-in',
          async (deps) => {
            const current = deps.workspace.config;
            const draft: DirconnConfig = { ...current, server: serverForChoice(deps, current.server, input.server) };
            // Checked against the chosen server before anything is saved; login() saves the key
            // only after the server accepted it, and the server choice is saved right after.
            const result = await login(withWorkspace(deps, workspaceWithConfig(deps.workspace, () => draft)), { clientId: input.clientId, clientSecret: input.clientSecret });
            await deps.workspace.saveConfig(draft);
            env.onStateChange?.();
            return { organizationId: result.organizationId, apiUrl: result.server, secretStorage: result.secretStorage };
          },
          { lock: true },
        ),
      ),

    logout: () =>
      env.withStore(
        'desktop logout',
        async (deps) => {
          const result = await logout(deps);
          env.onStateChange?.();
          return { wasLoggedIn: result.wasLoggedIn, note: result.warnings.length > 0 ? result.warnings.map((w) => w.message).join(' ') : null };
        },
        { lock: true },
      ),

    lastSync: () =>
      env.withStore('last-sync', async (deps) => ({ users: lastSync(deps, 'users').lastSync, groups: lastSync(deps, 'groups').lastSync }), { lock: false }),

    reports: (input) => env.withStore('report', async (deps) => ({ reports: await listReports(deps, { limit: input.limit }) }), { lock: false }),

    clearCache: () => env.withStore('desktop clear-cache', async (deps) => clearCache(deps), { lock: true }),

    about: async (_input, call) => ({
      version: env.version,
      face: call.face,
      runtime: env.runtime,
      platform: env.platform,
      dataDir: env.location.dataDir,
      dataFile: env.location.dataFile,
      reportsDir: env.location.reportsDir,
      logFile: env.logFile,
    }),

    openFolder: async (input) => {
      const folder = input.folder === 'logs' && env.logFile !== null ? path.dirname(env.logFile) : env.location.dataDir;
      if (env.openPath === undefined) {
        throw new DesktopError('desktop.unavailable', 'Folders can be opened only in the desktop app.', `The folder is ${folder} on the machine running dirconn.`);
      }
      await env.openPath(folder);
      return { path: folder };
    },
  };
}
