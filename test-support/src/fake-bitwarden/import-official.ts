// `POST /public/organization/import`, official server (bitwarden-api.md §4 and §8.6): the
// validation order 1–6, then the state transitions S0–S6, each step persisted immediately (no
// transaction), so a failure keeps earlier steps.

import type { FakeBitwardenState, FakeMember, FakeOrganization } from './state.js';
import type { FaultInjector, ImportStep } from './faults.js';
import { mediaType, modelStateError, officialError, officialNotFound, unhandledError } from './responses.js';
import type { FakeRequest, FakeResponse } from './responses.js';

/** What the import handler needs. */
export interface ImportContext {
  state: FakeBitwardenState;
  faults: FaultInjector;
  /** Organization of the bearer token. */
  orgId: string;
  /** Called when an import-step fault fires (for the request log). */
  noteFault?: (step: ImportStep) => void;
}

interface ParsedGroup {
  name: string | null;
  externalId: string | null;
  memberExternalIds: string[] | null;
}

interface ParsedMember {
  email: string | null;
  externalId: string | null;
  deleted: boolean;
}

interface ParsedModel {
  groups: (ParsedGroup | null)[] | null;
  members: (ParsedMember | null)[] | null;
  overwriteExisting: boolean | null;
  largeImport: boolean;
  inviteUsersAfterProvisioning: boolean;
}

/** A System.Text.Json-style failure at a JSON path. */
class JsonTypeError extends Error {
  constructor(
    readonly path: string,
    readonly target: string,
  ) {
    super(`The JSON value could not be converted to ${target}. Path: ${path}.`);
  }
}

const MODEL_TYPE = 'Bit.Api.AdminConsole.Public.Models.Request.OrganizationImportRequestModel';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Case-insensitive property lookup (last match wins, like System.Text.Json). */
function prop(object: Record<string, unknown>, name: string): { key: string; value: unknown } | undefined {
  let found: { key: string; value: unknown } | undefined;
  for (const [key, value] of Object.entries(object)) if (key.toLowerCase() === name.toLowerCase()) found = { key, value };
  return found;
}

/** Bitwarden's permissive string: strings, numbers and booleans become text; null stays null. */
function permissiveString(value: unknown, path: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  throw new JsonTypeError(path, 'System.String');
}

function strictString(value: unknown, path: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  throw new JsonTypeError(path, 'System.String');
}

function bool(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new JsonTypeError(path, 'System.Boolean');
}

function parseModel(root: unknown): ParsedModel {
  if (!isObject(root)) throw new JsonTypeError('$', MODEL_TYPE);
  const model: ParsedModel = { groups: null, members: null, overwriteExisting: null, largeImport: false, inviteUsersAfterProvisioning: true };

  const groups = prop(root, 'groups');
  if (groups !== undefined && groups.value !== null) {
    if (!Array.isArray(groups.value)) throw new JsonTypeError(`$.${groups.key}`, 'OrganizationImportGroupRequestModel[]');
    model.groups = groups.value.map((raw, i): ParsedGroup | null => {
      const path = `$.${groups.key}[${i}]`;
      if (raw === null) return null;
      if (!isObject(raw)) throw new JsonTypeError(path, 'OrganizationImportGroupRequestModel');
      const name = prop(raw, 'name');
      const externalId = prop(raw, 'externalId');
      const ids = prop(raw, 'memberExternalIds');
      let memberExternalIds: string[] | null = null;
      if (ids !== undefined && ids.value !== null) {
        const idsPath = `${path}.${ids.key}`;
        memberExternalIds = Array.isArray(ids.value)
          ? ids.value.map((item, j) => permissiveString(item, `${idsPath}[${j}]`) ?? '')
          : [permissiveString(ids.value, idsPath) ?? ''];
      }
      return {
        name: name === undefined ? null : strictString(name.value, `${path}.${name.key}`),
        externalId: externalId === undefined ? null : permissiveString(externalId.value, `${path}.${externalId.key}`),
        memberExternalIds,
      };
    });
  }

  const members = prop(root, 'members');
  if (members !== undefined && members.value !== null) {
    if (!Array.isArray(members.value)) throw new JsonTypeError(`$.${members.key}`, 'OrganizationImportMemberRequestModel[]');
    model.members = members.value.map((raw, i): ParsedMember | null => {
      const path = `$.${members.key}[${i}]`;
      if (raw === null) return null;
      if (!isObject(raw)) throw new JsonTypeError(path, 'OrganizationImportMemberRequestModel');
      const email = prop(raw, 'email');
      const externalId = prop(raw, 'externalId');
      const deleted = prop(raw, 'deleted');
      return {
        email: email === undefined ? null : strictString(email.value, `${path}.${email.key}`),
        externalId: externalId === undefined ? null : permissiveString(externalId.value, `${path}.${externalId.key}`),
        deleted: deleted === undefined ? false : bool(deleted.value, `${path}.${deleted.key}`, false),
      };
    });
  }

  const overwrite = prop(root, 'overwriteExisting');
  if (overwrite !== undefined && overwrite.value !== null) model.overwriteExisting = bool(overwrite.value, `$.${overwrite.key}`, false);
  const large = prop(root, 'largeImport');
  if (large !== undefined) model.largeImport = bool(large.value, `$.${large.key}`, false);
  const invite = prop(root, 'inviteUsersAfterProvisioning');
  if (invite !== undefined) model.inviteUsersAfterProvisioning = bool(invite.value, `$.${invite.key}`, true);
  return model;
}

const blank = (value: string | null): boolean => value === null || value.trim() === '';

/** .NET 8 `[EmailAddress]`: exactly one `@`, not first or last, no CR/LF. Null is valid. */
export function isDotNetEmail(value: string): boolean {
  if (/[\r\n]/.test(value)) return false;
  const at = value.indexOf('@');
  return at > 0 && at === value.lastIndexOf('@') && at < value.length - 1;
}

const MAX_MODEL_ERRORS = 200;

/** Step 3: every model-state error, keyed like ASP.NET (`Members[3].Email`). */
function validateModel(model: ParsedModel): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  let count = 0;
  let full = false;
  const add = (key: string, message: string): void => {
    if (full) return;
    if (count >= MAX_MODEL_ERRORS) {
      full = true;
      (errors[''] ??= []).push('The maximum number of allowed model errors has been reached.');
      return;
    }
    count++;
    (errors[key] ??= []).push(message);
  };
  const requiredLength = (key: string, field: string, value: string | null, max: number): boolean => {
    if (blank(value)) {
      add(key, `The ${field} field is required.`);
      return false;
    }
    if ((value as string).length > max) {
      add(key, `The field ${field} must be a string with a maximum length of ${max}.`);
      return false;
    }
    return true;
  };
  (model.groups ?? []).forEach((group, i) => {
    if (group === null) return;
    requiredLength(`Groups[${i}].Name`, 'Name', group.name, 100);
    requiredLength(`Groups[${i}].ExternalId`, 'ExternalId', group.externalId, 300);
  });
  (model.members ?? []).forEach((member, i) => {
    if (member === null) return;
    let ok = true;
    if (member.email !== null) {
      if (!isDotNetEmail(member.email)) {
        add(`Members[${i}].Email`, 'The Email field is not a valid e-mail address.');
        ok = false;
      }
      if (member.email.length > 256) {
        add(`Members[${i}].Email`, 'The field Email must be a string with a maximum length of 256.');
        ok = false;
      }
    }
    if (!requiredLength(`Members[${i}].ExternalId`, 'ExternalId', member.externalId, 300)) ok = false;
    // IValidatableObject runs only for members whose properties are valid.
    if (ok && !member.deleted && blank(member.email)) add(`Members[${i}].Email`, 'Email is required for enabled members.');
  });
  if (model.overwriteExisting === null) add('OverwriteExisting', 'The OverwriteExisting field is required.');
  return errors;
}

/** Thrown inside the steps to stop with a response (earlier steps stay applied). */
class StopImport extends Error {
  constructor(readonly response: FakeResponse) {
    super(`import stopped with ${response.status}`);
  }
}

const OVERWRITE_GUARD = "Sync failed. To proceed, disable the 'Remove and re-add users during next sync' setting and try again.";

function seatMessage(org: FakeOrganization): string | null {
  if (org.selfHosted) return 'Cannot autoscale on self-hosted instance.';
  switch (org.billing) {
    case 'provider':
      return 'Seat limit has been reached. Please contact your provider to add more seats.';
    case 'reseller':
      return 'Seat limit has been reached. Contact your provider to purchase additional seats.';
    case 'cancelled':
      return 'You do not have an active subscription. Reinstate your subscription to make changes';
    default:
      return null;
  }
}

/**
 * S0's externalId → member map, kept between imports: a large import comes in batches of 2000, and
 * rebuilding the map of a 100k-member organization for each batch is most of the fake's time. The map
 * is kept only after an import that completed, and reused only when the organization's members are
 * still exactly the ones it was kept with (same objects, same order, same externalIds: one pass
 * without hashing), so tests that change the state directly between requests get a fresh map.
 */
interface ExternalIdIndex {
  members: FakeMember[];
  externalIds: (string | null)[];
  ext: Map<string, FakeMember>;
}

const externalIdIndexes = new WeakMap<FakeBitwardenState, Map<string, ExternalIdIndex>>();

/** The S0 map for `present` (reused or built), or null when members share an externalId (500). */
function takeExternalIdIndex(state: FakeBitwardenState, orgId: string, present: readonly FakeMember[]): Map<string, FakeMember> | null {
  const kept = externalIdIndexes.get(state);
  const cached = kept?.get(orgId);
  kept?.delete(orgId); // the import changes it; kept again only if it completes
  if (cached !== undefined && cached.members.length === present.length && present.every((m, i) => m === cached.members[i] && m.externalId === cached.externalIds[i])) {
    return cached.ext;
  }
  const ext = new Map<string, FakeMember>();
  for (const member of present) {
    if (blank(member.externalId)) continue;
    if (ext.has(member.externalId as string)) return null;
    ext.set(member.externalId as string, member);
  }
  return ext;
}

/** Keeps `ext` (updated by the steps) for the next import, unless members now share an externalId. */
function keepExternalIdIndex(state: FakeBitwardenState, orgId: string, ext: Map<string, FakeMember>): void {
  const members = state.membersOf(orgId);
  const externalIds = members.map((m) => m.externalId);
  let keyed = 0;
  for (const id of externalIds) if (!blank(id)) keyed++;
  if (keyed !== ext.size) return; // two members with one externalId: the next import rebuilds (and fails)
  let kept = externalIdIndexes.get(state);
  if (kept === undefined) externalIdIndexes.set(state, (kept = new Map<string, ExternalIdIndex>()));
  kept.set(orgId, { members, externalIds, ext });
}

/** Handles the import for the organization of the token. */
export function officialImport(request: FakeRequest, ctx: ImportContext): FakeResponse {
  // 1. Content type.
  const type = mediaType(request.headers['content-type']);
  if (!(type === 'application/json' || type === 'text/json' || /^application\/[^/]+\+json$/.test(type))) return { status: 415 };

  // 2. Parse (case-insensitive, permissive strings).
  const text = request.body.toString('utf8');
  if (text.trim() === '') return modelStateError({ '': ['A non-empty request body is required.'] });
  let model: ParsedModel;
  try {
    model = parseModel(JSON.parse(text) as unknown);
  } catch (error) {
    if (error instanceof JsonTypeError) return modelStateError({ [error.path]: [error.message] });
    return modelStateError({ $: [`The JSON is invalid: ${(error as Error).message}. Path: $.`] });
  }

  // 3. Model validation, all errors at once.
  const errors = validateModel(model);
  if (Object.keys(errors).length > 0) return modelStateError(errors);

  // 4. Null arrays → unhandled NullReferenceException.
  if (model.groups === null || model.members === null || model.groups.some((g) => g === null || g.memberExternalIds === null) || model.members.some((m) => m === null)) {
    return unhandledError();
  }
  const groups = model.groups as ParsedGroup[];
  const members = model.members as ParsedMember[];

  // 5. Cloud count limit, then the organization itself.
  const org = ctx.state.organization(ctx.orgId);
  if (org === undefined) return officialNotFound();
  const nonDeleted = members.filter((m) => !m.deleted);
  if (!org.selfHosted && !model.largeImport && (groups.length > 2000 || nonDeleted.length > 2000)) {
    return officialError(400, 'You cannot import this much data at once.');
  }
  // 6. Feature.
  if (!org.useDirectory) return officialError(400, 'Organization cannot use directory syncing.');

  try {
    applySteps(ctx, org, groups, members, model);
  } catch (error) {
    if (error instanceof StopImport) return error.response;
    throw error;
  }
  return { status: 200 };
}

function applySteps(ctx: ImportContext, org: FakeOrganization, groups: ParsedGroup[], members: ParsedMember[], model: ParsedModel): void {
  const { state } = ctx;
  const step = (name: ImportStep): void => {
    const fault = ctx.faults.takeImportStep(name);
    if (fault === null) return;
    ctx.noteFault?.(name);
    const status = fault.status ?? 500;
    const body = fault.body ?? (status === 500 ? unhandledError().body : undefined);
    throw new StopImport(body === undefined ? { status } : { status, body });
  };
  const fail500 = (): never => {
    throw new StopImport(unhandledError());
  };
  const current = (): FakeMember[] => state.membersOf(org.id);

  // Every step below is O(request + organization): one pass over the members per step, maps for the
  // lookups (a 100k-member import in batches of 2000 must not be quadratic).

  // S0: load.
  step('S0');
  // The organization's members, re-read after each step that removes some.
  let present = current();
  // The members as loaded, for overwriteExisting (S2) only.
  const before = model.overwriteExisting === true ? present.map((m) => ({ ...m })) : [];
  const ext = takeExternalIdIndex(state, org.id, present) ?? fail500();
  const nonDeleted = members.filter((m) => !m.deleted);
  const imported = new Set(nonDeleted.map((m) => m.externalId as string));
  for (const m of nonDeleted) if (m.email !== null) m.email = m.email.toLowerCase();

  // S1: deleted members (by externalId, never Owners).
  step('S1');
  const toRemove = new Set<FakeMember>();
  for (const m of members) {
    if (!m.deleted) continue;
    const x = m.externalId as string;
    const existing = ext.get(x);
    if (imported.has(x) || existing === undefined || existing.type === 0) continue;
    toRemove.add(existing);
  }
  state.removeMembers(toRemove);
  if (toRemove.size > 0) present = current();
  for (const member of toRemove) {
    state.logEvent(org.id, 1503, { memberId: member.id });
    ext.delete(member.externalId as string);
  }

  // S2: overwrite.
  step('S2');
  if (model.overwriteExisting === true) {
    const candidates = before.filter((m) => !blank(m.externalId) && m.type !== 0 && !imported.has(m.externalId as string));
    if (candidates.some((m) => !m.hasMasterPassword)) throw new StopImport(officialError(400, OVERWRITE_GUARD));
    const liveById = new Map(present.map((m) => [m.id, m]));
    const live: FakeMember[] = [];
    for (const candidate of candidates) {
      const member = liveById.get(candidate.id);
      if (member !== undefined) live.push(member);
    }
    state.removeMembers(live);
    present = current();
    for (const candidate of candidates) {
      state.logEvent(org.id, 1503, { memberId: candidate.id });
      ext.delete(candidate.externalId as string);
    }
  }

  // S3: link existing members without externalId by email.
  step('S3');
  const emails = new Map<string, string>();
  for (const m of nonDeleted) {
    const email = (m.email as string).toLowerCase();
    if (emails.has(email)) fail500();
    emails.set(email, m.externalId as string);
  }
  for (const member of present) {
    if (!blank(member.externalId)) continue;
    const externalId = emails.get(member.email.toLowerCase());
    if (externalId === undefined) continue;
    member.externalId = externalId;
    if (ext.has(externalId)) fail500();
    ext.set(externalId, member);
  }

  // S4: new members.
  step('S4');
  const fresh = nonDeleted.filter((m) => !ext.has(m.externalId as string) && !blank(m.email));
  // Emails of fresh members already held by a member (the server skips those silently).
  const freshEmails = new Set(fresh.map((m) => m.email as string));
  const held = new Set<string>();
  if (freshEmails.size > 0) {
    for (const m of present) {
      const email = m.email.toLowerCase();
      if (freshEmails.has(email)) held.add(email);
    }
  }
  if (org.stagedFlag && model.inviteUsersAfterProvisioning === false) {
    const seen = new Set<string>();
    for (const m of fresh) {
      const email = m.email as string;
      if (held.has(email) || seen.has(email)) continue;
      seen.add(email);
      const member = state.addMember(org.id, { email, externalId: m.externalId, status: 3, type: 2, userId: null, hasMasterPassword: false });
      state.logEvent(org.id, 1523, { memberId: member.id });
      ext.set(m.externalId as string, member);
    }
  } else {
    const invites = fresh.filter((m) => !held.has(m.email as string));
    if (invites.length > 0) {
      let needed = 0;
      if (org.seats !== null) {
        const occupied = present.filter((m) => m.status === 0 || m.status === 1 || m.status === 2).length;
        needed = invites.length - (org.seats - occupied);
      }
      if (needed > 0) {
        const message = seatMessage(org);
        if (message !== null) throw new StopImport(officialError(400, message));
        if (org.maxAutoscaleSeats !== null && org.maxAutoscaleSeats < (org.seats as number) + needed) {
          throw new StopImport(officialError(400, 'Seat limit has been reached.'));
        }
      }
      if (!present.some((m) => m.type === 0 && m.status === 2)) {
        throw new StopImport(officialError(400, 'Organization must have at least one confirmed owner.'));
      }
      if (needed > 0) {
        org.seats = (org.seats as number) + needed;
        state.counters.autoscales++;
        state.counters.seatsAdded += needed;
      }
      for (const m of invites) {
        const member = state.addMember(org.id, { email: m.email as string, externalId: m.externalId, status: 0, type: 2, userId: null, hasMasterPassword: false });
        state.counters.invitesSent++;
        state.logEvent(org.id, 1500, { memberId: member.id });
        ext.set(m.externalId as string, member);
      }
    }
  }

  // S5: groups.
  step('S5');
  if (groups.length > 0) {
    if (!org.useGroups) throw new StopImport(officialError(400, 'Organization cannot use groups.'));
    const requestIds = new Set<string>();
    for (const g of groups) {
      if (requestIds.has(g.externalId as string)) fail500();
      requestIds.add(g.externalId as string);
    }
    const existing = new Map<string, (typeof state.groups)[number]>();
    for (const group of state.groupsOf(org.id)) {
      if (group.externalId === null || group.externalId === '') continue;
      if (existing.has(group.externalId)) fail500();
      existing.set(group.externalId, group);
    }
    for (const g of groups) {
      let group = existing.get(g.externalId as string);
      if (group === undefined) {
        group = state.addGroup(org.id, { name: g.name as string, externalId: g.externalId });
        state.logEvent(org.id, 1400, { groupId: group.id });
      } else {
        if (group.name !== g.name) group.name = g.name as string;
        state.logEvent(org.id, 1401, { groupId: group.id });
      }
      const memberIds = new Set<string>();
      for (const id of g.memberExternalIds as string[]) {
        const member = ext.get(id);
        if (member !== undefined) memberIds.add(member.id);
      }
      group.memberIds = [...memberIds];
    }
  }

  // S6: done.
  step('S6');
  keepExternalIdIndex(state, org.id, ext);
}
