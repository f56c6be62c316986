/**
 * Builds the body (or bodies) of `POST /public/organization/import` (reference-connector.md §7.5).
 *
 * Key order is fixed — `groups` (`name`, `externalId`, `memberExternalIds`), `members` (`email`,
 * `externalId`, `deleted`), `overwriteExisting`, `largeImport`, `inviteUsersAfterProvisioning` — so
 * that `serializeImportRequests` produces the reference's bytes and an existing `lastSyncHash` still
 * matches (§7.6).
 *
 * - Single request (default): everything in one body, `overwriteExisting` from the config,
 *   `largeImport` always false.
 * - Batched when `largeImport` is on and users + groups > batch size (2000): `overwriteExisting` is
 *   refused (`config.invalid`, as the reference); otherwise member chunks (`groups: []`) first, then
 *   group chunks (`members: []`), all with `largeImport: true` and `overwriteExisting: false`.
 *
 * Batch order (dirconn, deliberate difference from the reference): the server has no transaction, so
 * a failure after k batches leaves k batches applied. To make every prefix safe, members that are
 * ADDED or kept go first, then the groups, and members sent as DELETED go in their own chunks LAST.
 * A run that fails part-way has therefore at worst added people or refreshed groups, never removed
 * someone whose replacement or group update was not applied yet. When nothing is deleted the batches
 * are exactly the reference's (same bytes, same hash).
 */
import { DirconnError } from '../errors.js';
import type { ImportGroup, ImportMember, ImportRequest } from '../model/import-request.js';

/** Members or groups per batched request (reference `batchSize`). */
export const IMPORT_BATCH_SIZE = 2000;

/** A member to send; `deleted` is final (removeDisabled already applied). */
export interface ImportUserInput {
  email: string;
  externalId: string;
  deleted: boolean;
}

/** A group to send, already flattened. */
export interface ImportGroupInput {
  name: string;
  externalId: string;
  userExternalIds: readonly string[];
}

/** The sync settings that shape the request(s). */
export interface ImportRequestOptions {
  /** `sync.overwriteExisting`. Refused with batching. */
  overwriteExisting: boolean;
  /** `sync.largeImport`: allows batching. */
  largeImport: boolean;
  /** `sync.inviteUsersAfterProvisioning`, forwarded as is. */
  inviteUsersAfterProvisioning: boolean;
  /** Batch size; default 2000 (tests lower it). */
  batchSize?: number;
}

/** The reference's message for overwrite + batching, kept word for word (admins search for it). */
export const OVERWRITE_WITH_LARGE_IMPORT_MESSAGE =
  "You cannot use the 'Remove and re-add organization users during the next sync' option with large imports.";

/**
 * The one rule for `sync.overwriteExisting` with `sync.largeImport` (batched imports cannot remove and
 * re-add members safely): raised when such an import is built, and by `config set` when both are on.
 */
export function overwriteWithLargeImportError(): DirconnError {
  return new DirconnError('config.invalid', OVERWRITE_WITH_LARGE_IMPORT_MESSAGE, {
    hint: 'Turn off sync.overwriteExisting (it removes every member not in the directory and is meant for debugging), or turn off sync.largeImport.',
  });
}

/** True when these counts and options make the import batched. */
export function isBatchedImport(userCount: number, groupCount: number, options: Pick<ImportRequestOptions, 'largeImport' | 'batchSize'>): boolean {
  return options.largeImport && userCount + groupCount > (options.batchSize ?? IMPORT_BATCH_SIZE);
}

function toMember(user: ImportUserInput): ImportMember {
  return { email: user.email, externalId: user.externalId, deleted: user.deleted };
}

function toGroup(group: ImportGroupInput): ImportGroup {
  // The member list is shared with the input, not copied (500k ids at 10k groups); neither side is
  // mutated after planning.
  return { name: group.name, externalId: group.externalId, memberExternalIds: group.userExternalIds as string[] };
}

function request(groups: ImportGroup[], members: ImportMember[], overwriteExisting: boolean, largeImport: boolean, invite: boolean): ImportRequest {
  // Literal in the reference's key order: JSON.stringify follows insertion order.
  return { groups, members, overwriteExisting, largeImport, inviteUsersAfterProvisioning: invite };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Builds the request(s). `null` lists (sync of that kind off) count as empty. Throws
 * `DirconnError('config.invalid')` for overwriteExisting with batching, or for a batch size below 1.
 */
export function buildImportRequests(
  users: readonly ImportUserInput[] | null,
  groups: readonly ImportGroupInput[] | null,
  options: ImportRequestOptions,
): ImportRequest[] {
  const batchSize = options.batchSize ?? IMPORT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new DirconnError('config.invalid', `Invalid import batch size ${batchSize}: expected a whole number of at least 1.`);
  }
  const members = (users ?? []).map(toMember);
  const importGroups = (groups ?? []).map(toGroup);
  const invite = options.inviteUsersAfterProvisioning;

  if (!isBatchedImport(members.length, importGroups.length, { largeImport: options.largeImport, batchSize })) {
    return [request(importGroups, members, options.overwriteExisting, false, invite)];
  }
  if (options.overwriteExisting) throw overwriteWithLargeImportError();
  const kept = members.filter((member) => !member.deleted);
  const removed = members.filter((member) => member.deleted);
  return [
    ...chunk(kept, batchSize).map((part) => request([], part, false, true, invite)),
    ...chunk(importGroups, batchSize).map((part) => request(part, [], false, true, invite)),
    ...chunk(removed, batchSize).map((part) => request([], part, false, true, invite)),
  ];
}

/**
 * The exact JSON text the hash is computed over (reference §7.6): the request itself when there is
 * one, else the array of requests. No whitespace. `JSON.stringify(requests[i])` is exactly the body
 * posted for request i.
 */
export function serializeImportRequests(requests: readonly ImportRequest[]): string {
  return requests.length === 1 ? JSON.stringify(requests[0]) : JSON.stringify(requests);
}
