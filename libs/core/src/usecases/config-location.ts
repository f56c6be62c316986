/**
 * The location check of `config set`: a DN (base DN, user or group path) is checked against the
 * directory through the provider's `verifyLocations` when the source's settings are complete. A DN
 * the directory does not have is refused; a check that cannot run is a warning, never a refusal.
 */
import type { ConfigKey } from '../config/config-keys.js';
import type { DirconnConfig } from '../config/config.js';
import { DirconnError, toErrorData } from '../errors.js';
import type { DirectoryProvider } from '../model/directory.js';
import { createProvider, resolveDirectory, type UseCaseDeps } from './session.js';
import type { UseCaseWarning } from './use-case-warning.js';

/** Checks `key`'s new value in `draft` against the directory; returns warnings, throws `config.invalid` for a missing DN. */
export async function verifyLocation(deps: UseCaseDeps, draft: DirconnConfig, key: ConfigKey, signal?: AbortSignal): Promise<UseCaseWarning[]> {
  const type = draft.directory;
  if (type === null) return [];
  if (key.location.section === 'provider' && key.location.type !== type) return [];
  const definition = deps.providers(type);
  if (definition.unusedSyncFields?.includes(key.field.key) === true) return [];
  const notChecked = (why: string): UseCaseWarning[] => [{ code: 'config.not-verified', setting: key.field.key, message: `${key.field.key} was not checked against the directory: ${why}` }];
  let provider: DirectoryProvider;
  try {
    // Whether users or groups are synced does not matter for "does this DN exist": the check runs
    // before sync.users/sync.groups are set too.
    const probe: DirconnConfig = draft.sync.users || draft.sync.groups ? draft : { ...draft, sync: { ...draft.sync, users: true } };
    provider = await createProvider(deps, resolveDirectory(deps, probe));
  } catch (error) {
    const issues = (DirconnError.is(error) ? (error.details as { issues?: { key: string }[] } | undefined)?.issues : undefined) ?? [];
    const missing = issues.length > 0 ? ` (${[...new Set(issues.map((i) => i.key))].join(', ')})` : '';
    return notChecked(`the ${definition.label} settings are not complete yet${missing}; run "dirconn test" once they are.`);
  }
  if (!provider.verifyLocations) return [];
  let problems: { key: string; message: string }[];
  try {
    problems = await provider.verifyLocations(signal);
  } catch (error) {
    return notChecked(toErrorData(error).message);
  }
  const mine = problems.filter((p) => p.key === key.field.key);
  if (mine.length > 0) {
    throw new DirconnError('config.invalid', `Invalid value for ${key.field.key}: ${mine.map((p) => p.message).join('; ')}`, {
      hint: 'Check the DN in your directory (e.g. with ldapsearch -b "<dn>" -s base), or pass --no-verify to save it anyway.',
    });
  }
  return [];
}
