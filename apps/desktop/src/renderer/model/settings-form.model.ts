/**
 * The generated settings forms' logic, without React: what an input starts with, what a Save sends,
 * which settings changed, labels made from keys, and which server message belongs to which field.
 * The server validates every value with the CLI's validators; this module only shapes the data.
 */
import type { SettingInfo } from '../../shared/api-types.js';

/** What an input holds: text for text-like fields, a flag for checkboxes. */
export type DraftValue = string | boolean;

/** Input values by setting key. */
export type Drafts = Readonly<Record<string, DraftValue>>;

/** A value as `setSettings` takes it. */
export type SettingValue = string | number | boolean | null;

/** True for settings shown as a checkbox. */
export function isCheckbox(setting: SettingInfo): boolean {
  return setting.kind === 'boolean';
}

/** What the input shows first: the stored value, else the default; secrets always start empty. */
export function initialDraft(setting: SettingInfo): DraftValue {
  if (setting.kind === 'boolean') {
    const value = setting.value ?? setting.defaultValue;
    return value === true || value === 'true';
  }
  if (setting.secret !== null || setting.kind === 'secret') return '';
  return setting.value === null ? '' : String(setting.value);
}

/** The starting inputs of a whole form. */
export function initialDrafts(settings: readonly SettingInfo[]): Record<string, DraftValue> {
  return Object.fromEntries(settings.map((s) => [s.key, initialDraft(s)]));
}

/**
 * The value sent for an input: flags as booleans, empty text as null (clears the setting so its
 * default applies), other text as typed — numbers too, so the server's own parser names the problem.
 */
export function toSettingValue(setting: SettingInfo, draft: DraftValue): SettingValue {
  if (typeof draft === 'boolean') return draft;
  if (setting.kind === 'boolean') return draft === 'true';
  return draft.trim() === '' ? null : draft;
}

function isSecret(setting: SettingInfo): boolean {
  return setting.secret !== null || setting.kind === 'secret';
}

/** Non-secret settings whose input differs from what was loaded, as `setSettings` values. */
export function changedValues(settings: readonly SettingInfo[], drafts: Drafts): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const setting of settings) {
    if (isSecret(setting)) continue;
    const draft = drafts[setting.key];
    if (draft === undefined || draft === initialDraft(setting)) continue;
    out[setting.key] = toSettingValue(setting, draft);
  }
  return out;
}

/** Secrets with a new value typed in (an empty secret input keeps the stored one). */
export function changedSecrets(settings: readonly SettingInfo[], drafts: Drafts): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const setting of settings) {
    const draft = drafts[setting.key];
    if (isSecret(setting) && typeof draft === 'string' && draft !== '') out.push({ key: setting.key, value: draft });
  }
  return out;
}

/** True when anything would be saved. */
export function hasChanges(settings: readonly SettingInfo[], drafts: Drafts): boolean {
  return Object.keys(changedValues(settings, drafts)).length > 0 || changedSecrets(settings, drafts).length > 0;
}

const WORDS: Record<string, string> = {
  ad: 'Active Directory',
  api: 'API',
  ca: 'CA',
  dn: 'DN',
  id: 'ID',
  ldap: 'LDAP',
  ssl: 'SSL',
  tls: 'TLS',
  url: 'URL',
  uid: 'UID',
};

/** A label from a key: `ldap.rootPath` → "Root path", `ldap.startTls` → "Start TLS", `server.api` → "API". */
export function humanLabel(key: string): string {
  const last = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1) : key;
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase());
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One problem the server reported, tied to a setting when it names one. */
export interface FieldProblem {
  key: string;
  message: string;
}

/**
 * Messages per field from an API error: `details.issues` / `details.problems` entries with a `key`,
 * otherwise the settings whose key the message names (longest key first, so `server.api` is not
 * also counted as `server`).
 */
export function fieldProblems(message: string, details: unknown, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of listedProblems(details)) {
    if (keys.includes(item.key)) out[item.key] = out[item.key] === undefined ? item.message : `${out[item.key]} ${item.message}`;
  }
  if (Object.keys(out).length > 0) return out;
  let rest = message;
  for (const key of [...keys].sort((a, b) => b.length - a.length)) {
    const pattern = new RegExp(`(^|[^\\w.])${key.replace(/[.]/g, '\\.')}(?![\\w.])`);
    if (pattern.test(rest)) {
      out[key] = message;
      rest = rest.replace(new RegExp(key.replace(/[.]/g, '\\.'), 'g'), ' ');
    }
  }
  return out;
}

function listedProblems(details: unknown): FieldProblem[] {
  if (typeof details !== 'object' || details === null) return [];
  const record = details as Record<string, unknown>;
  const list = Array.isArray(record['issues']) ? record['issues'] : Array.isArray(record['problems']) ? record['problems'] : [];
  return list.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const entry = item as Record<string, unknown>;
    const key = typeof entry['key'] === 'string' ? entry['key'] : typeof entry['path'] === 'string' ? entry['path'] : null;
    return key !== null && typeof entry['message'] === 'string' ? [{ key, message: entry['message'] }] : [];
  });
}

/** A titled, explained group of settings on a form. */
export interface SettingGroup {
  id: string;
  title: string;
  explanation: string;
  keys: readonly string[];
}

/** The settings of each group, in the group's key order, then an "Other settings" group for the rest. */
export function groupSettings(settings: readonly SettingInfo[], groups: readonly SettingGroup[]): { group: SettingGroup; settings: SettingInfo[] }[] {
  const byKey = new Map(settings.map((s) => [s.key, s]));
  const used = new Set<string>();
  const out: { group: SettingGroup; settings: SettingInfo[] }[] = [];
  for (const group of groups) {
    const members = group.keys.flatMap((key) => {
      const setting = byKey.get(key);
      if (setting === undefined || used.has(key)) return [];
      used.add(key);
      return [setting];
    });
    if (members.length > 0) out.push({ group, settings: members });
  }
  const rest = settings.filter((s) => !used.has(s.key));
  if (rest.length > 0) out.push({ group: { id: 'other', title: 'Other settings', explanation: 'Settings not covered by the groups above.', keys: rest.map((s) => s.key) }, settings: rest });
  return out;
}
