/**
 * Handlers for the settings forms: the list generated from the provider definitions (through the
 * same key table as `dirconn config`), several settings saved at once — each validated by the same
 * use case as `dirconn config <key> <value>`, all of them in one write or none —, a secret, and the
 * connection check.
 */
import { DirconnError, createProvider, listSettings, resolveDirectory, setSecret, setSetting, type DirconnConfig } from '@dirconn/core';
import type { ApiHandlers } from './dispatch.js';
import { workspaceWithConfig, withWorkspace, type HandlerEnv } from './handler-env.js';
import { settingInfo } from './views.js';

type SettingsMethods = 'listSettings' | 'setSettings' | 'setSecret' | 'checkConnection';

/** The text a form value stands for (`null` clears an optional setting, as in `dirconn config k null`). */
function settingText(value: string | number | boolean | null): string {
  return value === null ? '' : String(value);
}

/** `directory` first (the source decides how filters are checked), then the server, then the rest. */
function saveOrder(key: string): number {
  if (key === 'directory') return 0;
  if (key === 'server' || key.startsWith('server.')) return 1;
  return 2;
}

/** The settings handlers. */
export function settingsHandlers(env: HandlerEnv): Pick<ApiHandlers, SettingsMethods> {
  return {
    listSettings: (input) =>
      env.withStore(
        'config',
        async (deps) => {
          const config = deps.workspace.config;
          const type = input.directoryType ?? config.directory;
          if (input.directoryType !== undefined) deps.providers(input.directoryType);
          const view = type === config.directory ? deps : withWorkspace(deps, workspaceWithConfig(deps.workspace, () => ({ ...config, directory: type })));
          const list = await listSettings(view);
          return {
            directoryType: type,
            sources: deps.definitions.map((d) => ({ type: d.type, label: d.label, description: d.description ?? null })),
            settings: list.settings.map((s) => settingInfo(deps.definitions, s)),
          };
        },
        { lock: false },
      ),

    setSettings: (input) =>
      env.withStore(
        'desktop config',
        async (deps) => {
          let staged: DirconnConfig = structuredClone(deps.workspace.config);
          const stagedDeps = withWorkspace(
            deps,
            workspaceWithConfig(
              deps.workspace,
              () => staged,
              async (next) => {
                staged = next;
              },
            ),
          );
          const entries = Object.entries(input.values).sort(([a], [b]) => saveOrder(a) - saveOrder(b));
          const saved: string[] = [];
          const warnings: string[] = [];
          for (const [key, value] of entries) {
            const result = await setSetting(stagedDeps, { key, value: settingText(value), verify: input.verify });
            saved.push(result.key);
            warnings.push(...result.warnings.map((w) => w.message));
          }
          await deps.workspace.saveConfig(staged);
          return { saved, warnings };
        },
        { lock: true },
      ),

    setSecret: (input) => env.withStore('desktop config', async (deps) => setSecret(deps, { key: input.key, secret: input.value }), { lock: true }),

    checkConnection: () =>
      env.operations.run('checkConnection', 'user', (control) =>
        env.withStore(
          'check connection',
          async (deps) => {
            const setup = resolveDirectory(deps, deps.workspace.config);
            let provider;
            try {
              provider = await createProvider(deps, setup);
            } catch (error) {
              const issues = DirconnError.is(error) && error.code === 'config.incomplete' ? (error.details as { issues?: { key: string; message: string }[] } | undefined)?.issues : undefined;
              if (issues === undefined) throw error;
              return { ok: false, problems: issues.map((i) => ({ key: i.key, message: i.message })), message: `The ${setup.definition.label} settings are not complete yet.` };
            }
            if (provider.verifyLocations) {
              const problems = await provider.verifyLocations(control.signal);
              return problems.length === 0
                ? { ok: true, problems: [], message: `Connected to the ${setup.definition.label} directory; the configured locations exist.` }
                : { ok: false, problems, message: `Connected to the ${setup.definition.label} directory, but some settings point at nothing.` };
            }
            await provider.read({ force: true, users: setup.sync.users, groups: setup.sync.groups, signal: control.signal, onProgress: control.onProgress });
            return { ok: true, problems: [], message: `Connected to the ${setup.definition.label} directory and read it.` };
          },
          { lock: false },
        ),
      ),
  };
}
