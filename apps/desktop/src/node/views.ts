/**
 * Turns use-case results into the contract's plain views: a plan without its raw requests and next
 * state (they stay in Node), test counts that add up, settings with their form metadata, the server
 * choice as the sign-in screen shows it. Pure functions.
 */
import {
  directorySideView,
  findConfigKey,
  resolveServerUrls,
  type DirconnConfig,
  type PlanResult,
  type ProviderDefinition,
  type SettingView,
  type SyncPlan,
} from '@dirconn/core';
import type { PlanView, SecretSourceKind, ServerStatus, SettingInfo, SettingSection, TestResult } from '../shared/api-types.js';

/** The plan as the screens show it. */
export function planView(plan: SyncPlan): PlanView {
  return {
    createdAt: plan.createdAt,
    orgView: plan.orgView,
    orgUnavailableReason: plan.orgUnavailableReason ?? null,
    readMode: plan.readMode,
    unchanged: plan.unchanged,
    summary: plan.summary,
    changes: plan.changes,
    safety: plan.safety,
    warnings: plan.warnings,
    users: plan.users,
    groups: plan.groups,
  };
}

/** The directory side of a read, with counts that add up (enabled + disabled + deleted = users). */
export function testView(result: PlanResult): TestResult {
  // The split into enabled, disabled and deleted is the CLI's `test` view's (one rule for both faces).
  const side = directorySideView(result.plan);
  return {
    readMode: side.readMode,
    users: result.plan.users,
    groups: result.plan.groups,
    counts: {
      users: result.plan.users.length,
      enabled: side.enabledUsers.length,
      disabled: side.disabledUsers.length,
      deleted: side.deletedUsers.length,
      groups: side.groups.length,
    },
    warnings: side.warnings,
  };
}

/** The configured server as a choice (US cloud, EU cloud, self-hosted base, or custom URLs). */
export function serverStatus(server: DirconnConfig['server']): ServerStatus {
  const urls = resolveServerUrls(server);
  const custom = Boolean(server.api?.trim()) || Boolean(server.identity?.trim());
  const kind = custom ? 'custom' : urls.cloud === 'eu' ? 'eu' : urls.cloud === 'us' ? 'us' : 'self-hosted';
  return { kind, baseUrl: kind === 'self-hosted' ? server.base : null, apiUrl: urls.api, identityUrl: urls.identity };
}

function sectionOf(key: string): SettingSection {
  if (key === 'server' || key.startsWith('server.')) return 'server';
  if (key === 'directory') return 'directory';
  if (key.startsWith('sync.')) return 'sync';
  return 'source';
}

function plainValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

function secretSource(view: SettingView): SettingInfo['secret'] {
  const status = view.secret;
  if (status === undefined) return { set: false, source: 'none', detail: null };
  const origin = status.origin;
  if (!status.set || origin === null) return { set: false, source: 'none', detail: null };
  let source: SecretSourceKind;
  if (origin.kind === 'variable') source = 'environment';
  else if (origin.kind === 'file') source = 'file';
  else source = /plaintext/i.test(origin.name) ? 'plaintext' : 'keychain';
  return { set: true, source, detail: origin.name };
}

/** One setting with what a generated form needs (kind, enum values, bounds, secret status). */
export function settingInfo(definitions: readonly ProviderDefinition[], view: SettingView): SettingInfo {
  const field = findConfigKey(definitions, view.key)?.field;
  const section = sectionOf(view.key);
  const isSecret = field?.secret === true || view.secret !== undefined;
  return {
    key: view.key,
    section,
    source: section === 'source' ? (view.key.split('.')[0] ?? null) : null,
    kind: view.kind,
    description: view.description,
    value: isSecret ? null : plainValue(view.value),
    defaultValue: isSecret ? null : plainValue(view.defaultValue),
    isDefault: view.source === 'default',
    enumValues: field?.values !== undefined ? [...field.values] : null,
    min: field?.min ?? null,
    max: field?.max ?? null,
    secret: isSecret ? secretSource(view) : null,
  };
}
