// `POST /public/organization/import`, Vaultwarden (bitwarden-api.md §6 and §8.7): strict camelCase
// serde parsing (422 on any missing/null/mistyped field), members matched by email one by one
// (revoke/restore instead of remove), groups only with ORG_GROUPS_ENABLED, overwrite last.

import type { FakeBitwardenState, FakeGroup, FakeMember, FakeUser } from './state.js';
import type { FaultInjector, ImportStep } from './faults.js';
import { rocketError, unhandledError, vaultwardenError } from './responses.js';
import type { FakeRequest, FakeResponse } from './responses.js';

/** What the import handler needs. */
export interface VaultwardenImportContext {
  state: FakeBitwardenState;
  faults: FaultInjector;
  orgId: string;
  /** Called when an import-step fault fires (for the request log). */
  noteFault?: (step: ImportStep) => void;
}

interface VwGroup {
  name: string;
  externalId: string;
  memberExternalIds: string[];
}

interface VwMember {
  email: string;
  externalId: string;
  deleted: boolean;
}

interface VwModel {
  groups: VwGroup[];
  members: VwMember[];
  overwriteExisting: boolean;
}

class SchemaError extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field<T>(object: Record<string, unknown>, key: string, check: (value: unknown) => value is T): T {
  if (!Object.prototype.hasOwnProperty.call(object, key)) throw new SchemaError(`missing field \`${key}\``);
  const value = object[key];
  if (!check(value)) throw new SchemaError(`invalid type for \`${key}\``);
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isBool = (value: unknown): value is boolean => typeof value === 'boolean';
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

function parseStrict(root: unknown): VwModel {
  if (!isObject(root)) throw new SchemaError('expected an object');
  const groups = field(root, 'groups', isArray).map((raw): VwGroup => {
    if (!isObject(raw)) throw new SchemaError('group is not an object');
    const ids = field(raw, 'memberExternalIds', isArray);
    if (!ids.every(isString)) throw new SchemaError('memberExternalIds must be strings');
    return { name: field(raw, 'name', isString), externalId: field(raw, 'externalId', isString), memberExternalIds: ids };
  });
  const members = field(root, 'members', isArray).map((raw): VwMember => {
    if (!isObject(raw)) throw new SchemaError('member is not an object');
    return { email: field(raw, 'email', isString), externalId: field(raw, 'externalId', isString), deleted: field(raw, 'deleted', isBool) };
  });
  return { groups, members, overwriteExisting: field(root, 'overwriteExisting', isBool) };
}

/** A loose email check for new members (Vaultwarden refuses invalid addresses with 400). */
function isValidEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(email);
}

/** Handles the import for the organization of the token (bearer already checked). */
export function vaultwardenImport(request: FakeRequest, ctx: VaultwardenImportContext): FakeResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8')) as unknown;
  } catch {
    return rocketError(400);
  }
  let model: VwModel;
  try {
    model = parseStrict(parsed);
  } catch (error) {
    if (error instanceof SchemaError) return rocketError(422);
    throw error;
  }
  const { state } = ctx;
  const org = state.organization(ctx.orgId);
  if (org === undefined) return rocketError(404);

  const stepFault = (step: 'S1' | 'S5' | 'S6'): FakeResponse | null => {
    const fault = ctx.faults.takeImportStep(step);
    if (fault === null) return null;
    ctx.noteFault?.(step);
    const status = fault.status ?? 500;
    const body = fault.body ?? (status === 500 ? unhandledError().body : undefined);
    return body === undefined ? { status } : { status, body };
  };
  const current = (): FakeMember[] => state.membersOf(org.id);
  const confirmedOwners = (): number => current().filter((m) => m.type === 0 && m.status === 2).length;
  const isLastConfirmedOwner = (m: FakeMember): boolean => m.type === 0 && m.status === 2 && confirmedOwners() <= 1;

  // Members, one by one, matched by lower-cased email. (Fault step S1 = before the members.)
  const early = stepFault('S1');
  if (early !== null) return early;
  // Lookups through maps (first match, as the scans they replace), kept up to date as members and
  // accounts are added: O(request + organization), not one scan of the organization per entry.
  const byEmail = new Map<string, FakeMember>();
  for (const m of current()) if (!byEmail.has(m.email)) byEmail.set(m.email, m);
  const usersByEmail = new Map<string, FakeUser>();
  for (const u of state.users) if (!usersByEmail.has(u.email)) usersByEmail.set(u.email, u);
  for (const data of model.members) {
    const email = data.email.toLowerCase();
    const member = byEmail.get(email);
    if (data.deleted) {
      if (member === undefined) continue;
      if (member.status > -1 && !isLastConfirmedOwner(member)) {
        member.statusBeforeRevoke = member.status as Exclude<FakeMember['status'], -1>;
        member.status = -1;
      }
      member.externalId = data.externalId;
    } else if (member !== undefined) {
      if (member.status < 0) {
        member.status = member.statusBeforeRevoke ?? 0;
        member.statusBeforeRevoke = null;
      }
      member.externalId = data.externalId;
    } else {
      if (!isValidEmail(email)) return vaultwardenError(`User email ${data.email} is not a valid email address`);
      let user = usersByEmail.get(email);
      if (user === undefined) usersByEmail.set(email, (user = state.addUser({ email, hasMasterPassword: false })));
      const status = org.smtpEnabled ? 0 : user.hasMasterPassword ? 1 : 0;
      const added = state.addMember(org.id, {
        email,
        externalId: data.externalId,
        type: 2,
        status,
        userId: user.hasMasterPassword ? user.id : null,
        hasMasterPassword: user.hasMasterPassword,
      });
      if (!byEmail.has(added.email)) byEmail.set(added.email, added);
      if (org.smtpEnabled) state.counters.invitesSent++;
    }
  }

  // Groups, only with ORG_GROUPS_ENABLED: find or create by externalId, never rename.
  const groupFault = stepFault('S5');
  if (groupFault !== null) return groupFault;
  if (org.groupsEnabled) {
    const groupsByExternalId = new Map<string | null, FakeGroup>();
    for (const g of state.groupsOf(org.id)) if (!groupsByExternalId.has(g.externalId)) groupsByExternalId.set(g.externalId, g);
    const byExternalId = new Map<string | null, FakeMember>();
    for (const m of current()) if (!byExternalId.has(m.externalId)) byExternalId.set(m.externalId, m);
    for (const data of model.groups) {
      let group = groupsByExternalId.get(data.externalId);
      if (group === undefined) groupsByExternalId.set(data.externalId, (group = state.addGroup(org.id, { name: data.name, externalId: data.externalId })));
      const ids = new Set<string>();
      for (const externalId of data.memberExternalIds) {
        const member = byExternalId.get(externalId);
        if (member !== undefined) ids.add(member.id);
      }
      group.memberIds = [...ids];
    }
  }

  // Overwrite last: delete every member with an externalId not listed, except the last confirmed Owner.
  if (model.overwriteExisting) {
    const listed = new Set(model.members.map((m) => m.externalId));
    for (const member of [...current()]) {
      if (member.externalId === null || listed.has(member.externalId)) continue;
      if (isLastConfirmedOwner(member)) continue;
      state.removeMember(member);
    }
  }
  const done = stepFault('S6');
  if (done !== null) return done;
  return { status: 200 };
}
