/**
 * The table of settable keys: server, directory, sync.* and every provider's fields, with where each
 * lives in the data file. Drives `dirconn config`, its help and the README table.
 */
import {
  directoryField,
  SERVER_FIELDS,
  SYNC_FIELDS,
  type ConfigField,
  type DirconnConfig,
  type DirectoryType,
  type ProviderDefinition,
} from '@dirconn/core';
import { providerDefinitions } from '@dirconn/providers';

export type KeyLocation =
  | { section: 'server'; field: keyof DirconnConfig['server'] }
  | { section: 'directory' }
  | { section: 'sync'; field: string }
  | { section: 'provider'; type: DirectoryType; field: string; definition: ProviderDefinition };

export interface ConfigKey {
  field: ConfigField;
  location: KeyLocation;
}

export function allConfigKeys(): ConfigKey[] {
  const keys: ConfigKey[] = [];
  for (const field of SERVER_FIELDS) {
    const name = field.key === 'server' ? 'base' : field.key.slice('server.'.length);
    keys.push({ field, location: { section: 'server', field: name as keyof DirconnConfig['server'] } });
  }
  keys.push({ field: directoryField(providerDefinitions), location: { section: 'directory' } });
  for (const field of SYNC_FIELDS) keys.push({ field, location: { section: 'sync', field: field.key.slice('sync.'.length) } });
  for (const definition of providerDefinitions) {
    for (const field of definition.fields) {
      const dot = field.key.indexOf('.');
      keys.push({ field, location: { section: 'provider', type: definition.type, field: field.key.slice(dot + 1), definition } });
    }
  }
  return keys;
}

/** Finds a key (case-insensitive; `azure.key` style aliases are not needed yet). */
export function findConfigKey(name: string): ConfigKey | undefined {
  const lower = name.toLowerCase();
  return allConfigKeys().find((k) => k.field.key.toLowerCase() === lower);
}

/** Up to three known keys close to `name`, for "did you mean": typos first, then substring matches. */
export function suggestKeys(name: string): string[] {
  const lower = name.toLowerCase();
  const tail = lower.split('.').pop() ?? lower;
  const keys = allConfigKeys().map((k) => k.field.key);
  const typos = keys
    .map((key) => ({ key, distance: editDistance(lower, key.toLowerCase()) }))
    .filter((c) => c.distance <= Math.max(1, Math.min(3, Math.floor(c.key.length / 5))))
    .sort((a, b) => a.distance - b.distance)
    .map((c) => c.key);
  const similar = keys.filter((k) => k.toLowerCase().includes(tail) || tail.includes(k.toLowerCase().split('.').pop() ?? ''));
  return [...new Set([...typos, ...similar])].slice(0, 3);
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
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

/** Writes a value into a config object (mutates it). */
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
