/**
 * The directory side of a plan as every face shows it after `test`: groups with their member ids,
 * and users split into enabled, disabled and deleted, sorted by name (the reference's `test` output
 * shape, plus the read mode and warnings).
 */
import type { SyncPlan } from '../sync/plan.types.js';

/** A user as listed by `test`: id and the email (or display name when there is none). */
export interface DirectorySideUser {
  externalId: string;
  displayName: string;
}

/** What `test` shows. */
export interface DirectorySideView {
  object: 'test';
  groups: { externalId: string; displayName: string; userIds: string[] }[];
  enabledUsers: DirectorySideUser[];
  disabledUsers: DirectorySideUser[];
  deletedUsers: DirectorySideUser[];
  readMode: SyncPlan['readMode'];
  warnings: SyncPlan['warnings'];
}

/** Builds the `test` view of a plan. */
export function directorySideView(plan: SyncPlan): DirectorySideView {
  const byName = (a: { displayName: string }, b: { displayName: string }) => a.displayName.localeCompare(b.displayName);
  const user = (u: SyncPlan['users'][number]): DirectorySideUser => ({ externalId: u.externalId, displayName: u.email || u.displayName });
  return {
    object: 'test',
    groups: plan.groups.map((g) => ({ externalId: g.externalId, displayName: g.name, userIds: g.userExternalIds })).sort(byName),
    enabledUsers: plan.users.filter((u) => !u.disabled && !u.deleted).map(user).sort(byName),
    disabledUsers: plan.users.filter((u) => u.disabled && !u.deleted).map(user).sort(byName),
    deletedUsers: plan.users.filter((u) => u.deleted).map(user).sort(byName),
    readMode: plan.readMode,
    warnings: plan.warnings,
  };
}
