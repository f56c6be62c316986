/**
 * The table of settable keys for a registry of sources: server, directory, sync.* and every source's
 * fields, with where each lives in the configuration. Drives `dirconn config`, its help, the desktop
 * forms and the README table; a new source's keys appear by registering its definition.
 */
import { DirconnError } from '../errors.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import { directoryField, SERVER_FIELDS, SYNC_FIELDS, type DirconnConfig, type DirectoryType } from './config.js';
import { editDistance } from './edit-distance.js';
import type { ConfigField } from './fields.js';

/** Where a key's value lives in {@link DirconnConfig}. */
export type KeyLocation =
  | { section: 'server'; field: keyof DirconnConfig['server'] }
  | { section: 'directory' }
  | { section: 'sync'; field: string }
  | { section: 'provider'; type: DirectoryType; field: string; definition: ProviderDefinition };

/** One settable key: its descriptor and where it is stored. */
export interface ConfigKey {
  field: ConfigField;
  location: KeyLocation;
}

/** Every key of `definitions`' sources, in display order: server, directory, sync, then each source's. */
export function allConfigKeys(definitions: readonly ProviderDefinition[]): ConfigKey[] {
  const keys: ConfigKey[] = [];
  for (const field of SERVER_FIELDS) {
    const name = field.key === 'server' ? 'base' : field.key.slice('server.'.length);
    keys.push({ field, location: { section: 'server', field: name as keyof DirconnConfig['server'] } });
  }
  keys.push({ field: directoryField(definitions), location: { section: 'directory' } });
  for (const field of SYNC_FIELDS) keys.push({ field, location: { section: 'sync', field: field.key.slice('sync.'.length) } });
  for (const definition of definitions) {
    for (const field of definition.fields) {
      const dot = field.key.indexOf('.');
      keys.push({ field, location: { section: 'provider', type: definition.type, field: field.key.slice(dot + 1), definition } });
    }
  }
  return keys;
}

/** Names a key answers to besides its own: the field's aliases, and the secret descriptor's for the secret. */
function aliasesOf(key: ConfigKey): readonly string[] {
  const own = key.field.aliases ?? [];
  const secret = key.location.section === 'provider' ? key.location.definition.secret : null;
  return secret !== null && secret.setting === key.field.key ? [...own, ...(secret.aliases ?? [])] : own;
}

/** Finds a key by its name or an alias (case-insensitive). */
export function findConfigKey(definitions: readonly ProviderDefinition[], name: string): ConfigKey | undefined {
  const lower = name.toLowerCase();
  const keys = allConfigKeys(definitions);
  return keys.find((k) => k.field.key.toLowerCase() === lower) ?? keys.find((k) => aliasesOf(k).some((alias) => alias.toLowerCase() === lower));
}

/** Like {@link findConfigKey}, but an unknown name is a `usage` error suggesting close keys. */
export function requireConfigKey(definitions: readonly ProviderDefinition[], name: string): ConfigKey {
  const key = findConfigKey(definitions, name);
  if (key) return key;
  const suggestions = suggestKeys(definitions, name);
  throw new DirconnError('usage', `Unknown setting "${name}".`, {
    hint: `${suggestions.length > 0 ? `Did you mean ${suggestions.join(', ')}? ` : ''}Run "dirconn config" to list every setting.`,
  });
}

/** Up to three known keys close to `name`, for "did you mean": typos first, then substring matches. */
export function suggestKeys(definitions: readonly ProviderDefinition[], name: string): string[] {
  const lower = name.toLowerCase();
  const tail = lower.split('.').pop() ?? lower;
  const keys = allConfigKeys(definitions).map((k) => k.field.key);
  const typos = keys
    .map((key) => ({ key, distance: editDistance(lower, key.toLowerCase()) }))
    .filter((c) => c.distance <= Math.max(1, Math.min(3, Math.floor(c.key.length / 5))))
    .sort((a, b) => a.distance - b.distance)
    .map((c) => c.key);
  const similar = keys.filter((k) => k.toLowerCase().includes(tail) || tail.includes(k.toLowerCase().split('.').pop() ?? ''));
  return [...new Set([...typos, ...similar])].slice(0, 3);
}

/** Reads the current (stored or default) value of a key. */
export function readKey(config: DirconnConfig, key: ConfigKey): unknown {
  const loc = key.location;
  switch (loc.section) {
    case 'server':
      return config.server[loc.field];
    case 'directory':
      return config.directory;
    case 'sync':
      return (config.sync as unknown as Record<string, unknown>)[loc.field] ?? key.field.defaultValue;
    case 'provider': {
      const stored = config.directories[loc.type];
      return stored && loc.field in stored ? stored[loc.field] : key.field.defaultValue;
    }
  }
}

/** True when the key has a value of its own in `config` (not the default). */
export function isKeyStored(config: DirconnConfig, key: ConfigKey): boolean {
  const loc = key.location;
  switch (loc.section) {
    case 'server':
      return config.server[loc.field] !== key.field.defaultValue;
    case 'directory':
      return config.directory !== null;
    case 'sync':
      return loc.field in config.sync && (config.sync as unknown as Record<string, unknown>)[loc.field] !== key.field.defaultValue;
    case 'provider': {
      const stored = config.directories[loc.type];
      return stored !== undefined && loc.field in stored && stored[loc.field] !== key.field.defaultValue;
    }
  }
}

/** Writes a value into a config object (mutates it); a source's config gets an id on its first write. */
export function writeKey(config: DirconnConfig, key: ConfigKey, value: unknown, newId: () => string): void {
  const loc = key.location;
  switch (loc.section) {
    case 'server':
      (config.server as unknown as Record<string, unknown>)[loc.field] = value;
      return;
    case 'directory':
      config.directory = value as DirectoryType | null;
      return;
    case 'sync':
      (config.sync as unknown as Record<string, unknown>)[loc.field] = value;
      return;
    case 'provider': {
      const stored = (config.directories[loc.type] ??= {});
      if (typeof stored.id !== 'string') stored.id = newId();
      stored[loc.field] = value;
      return;
    }
  }
}
