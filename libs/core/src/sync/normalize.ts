/**
 * Normalisation of what a provider read, before de-duplication and planning
 * (reference-connector.md §7.2 step 4, bitwarden-api.md §3.1):
 *
 * - emails are trimmed and lower-cased; an empty email counts as missing;
 * - users the server cannot take are excluded and NAMED in a warning (the reference drops them
 *   silently): no email, email longer than 256 UTF-16 code units, email failing the server's
 *   `[EmailAddress]` rule, blank or over-long externalId;
 * - a user that is deleted (or disabled while `removeDisabled` is on) is never dropped silently: when
 *   its email is missing or unusable, the email sent by the last successful sync for the same
 *   externalId is used so the removal still reaches the server; when none is known the user is named
 *   in a `deleted-user-not-removable` warning (reference quirk §7.2 fixed);
 * - groups with a blank/over-long name or externalId are excluded with a warning (the server would
 *   reject the whole import with a 400).
 */
import type { DirectoryGroup, DirectoryUser, ReadWarning } from '../model/directory.js';
import type { SyncedUser } from '../model/state.js';

/** Longest email the server accepts (UTF-16 code units, i.e. JavaScript `length`). */
export const MAX_EMAIL_LENGTH = 256;
/** Longest member or group externalId the server accepts. */
export const MAX_EXTERNAL_ID_LENGTH = 300;
/** Longest group name the server accepts. */
export const MAX_GROUP_NAME_LENGTH = 100;
/** How many names a warning or safety message lists before "and N more". */
export const MAX_NAMES_IN_MESSAGE = 20;

/** Warning codes produced by normalisation (stable; shown to the admin). */
export type NormalizeWarningCode =
  | 'user-no-email'
  | 'user-email-too-long'
  | 'user-email-invalid'
  | 'user-external-id-invalid'
  | 'deleted-user-not-removable'
  | 'deleted-user-email-recovered'
  | 'group-name-invalid'
  | 'group-external-id-invalid';

/** Trims and lower-cases an email; `null`, `undefined` and blank text become `null`. */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const email = raw.trim().toLowerCase();
  return email === '' ? null : email;
}

/**
 * The server's `[EmailAddress]` rule (.NET 8+, bitwarden-api.md §3.1): exactly one `@`, neither first
 * nor last, and no CR or LF. Nothing else is checked, deliberately: a stricter rule would drop users
 * the server (and the reference) accept.
 */
export function isValidEmailAddress(email: string): boolean {
  const at = email.indexOf('@');
  if (at <= 0 || at === email.length - 1) return false;
  if (email.indexOf('@', at + 1) !== -1) return false;
  return !email.includes('\r') && !email.includes('\n');
}

/** Why an email cannot be sent. */
export type EmailProblem = 'missing' | 'too-long' | 'invalid';

/** Checks an already-normalised email; null when it can be sent. */
export function emailProblem(email: string | null): EmailProblem | null {
  if (email === null) return 'missing';
  if (email.length > MAX_EMAIL_LENGTH) return 'too-long';
  if (!isValidEmailAddress(email)) return 'invalid';
  return null;
}

/** True when `id` is an externalId the server accepts (not blank, at most 300 characters). */
export function isValidExternalId(id: string): boolean {
  return id.trim() !== '' && id.length <= MAX_EXTERNAL_ID_LENGTH;
}

/** A user that will be sent: email normalised and usable. */
export interface NormalizedUser extends DirectoryUser {
  email: string;
  /** `directory`: the email as read; `previous-sync`: recovered from the last sync for a deleted user. */
  emailSource: 'directory' | 'previous-sync';
}

/** Why a user read from the directory is not sent. */
export type UserExclusionReason = 'no-email' | 'email-too-long' | 'email-invalid' | 'external-id-invalid';

/** A user left out, with the reason (for warnings and `dirconn explain`). */
export interface ExcludedUser {
  user: DirectoryUser;
  reason: UserExclusionReason;
  /**
   * True when the user is deleted (or disabled with removeDisabled) and its removal therefore cannot
   * be sent: the admin must remove the member by hand.
   */
  removalLost: boolean;
  /** One-line explanation. */
  message: string;
}

/** Options of `normalizeUsers`. */
export interface NormalizeUsersOptions {
  /** `SyncState.syncedUsers` of the last successful sync: source of emails for deleted users. */
  previousUsers?: readonly SyncedUser[] | null;
  /** `sync.removeDisabled`: disabled users will be sent as deleted, so they get the same rescue. */
  removeDisabled?: boolean;
}

/** What `normalizeUsers` returns. */
export interface NormalizeUsersResult {
  /** Users to send, in directory order. */
  users: NormalizedUser[];
  excluded: ExcludedUser[];
  /** Deleted users whose email came from the previous sync (subset of `users`). */
  recovered: NormalizedUser[];
  warnings: ReadWarning[];
}

/** `Name (reference)` or the best identifier available, for messages. */
export function describeUser(user: Pick<DirectoryUser, 'displayName' | 'referenceId' | 'externalId'>): string {
  const id = user.referenceId !== '' ? user.referenceId : user.externalId;
  return user.displayName !== undefined && user.displayName !== '' && user.displayName !== id ? `${user.displayName} (${id})` : id;
}

/** "a, b, c and 7 more" — at most `max` items, then a count of the rest. */
export function formatList(items: readonly string[], max: number = MAX_NAMES_IN_MESSAGE): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

const EXCLUSION_BY_PROBLEM: Record<EmailProblem, UserExclusionReason> = {
  missing: 'no-email',
  'too-long': 'email-too-long',
  invalid: 'email-invalid',
};

function exclusionMessage(reason: UserExclusionReason, user: DirectoryUser, email: string | null): string {
  switch (reason) {
    case 'no-email':
      return `${describeUser(user)} has no email`;
    case 'email-too-long':
      return `${describeUser(user)} has an email longer than ${MAX_EMAIL_LENGTH} characters`;
    case 'email-invalid':
      return `${describeUser(user)} has an invalid email ${JSON.stringify(email)}`;
    case 'external-id-invalid':
      return `${describeUser(user)} has a blank or over-long (> ${MAX_EXTERNAL_ID_LENGTH} characters) externalId`;
  }
}

/** A copy of `user` with its email replaced (built field by field: much faster than a spread at 100k). */
function withEmail(user: DirectoryUser, email: string, emailSource: NormalizedUser['emailSource']): NormalizedUser {
  const result: NormalizedUser = {
    externalId: user.externalId,
    referenceId: user.referenceId,
    email,
    disabled: user.disabled,
    deleted: user.deleted,
    emailSource,
  };
  if (user.displayName !== undefined) result.displayName = user.displayName;
  if (user.uid !== undefined) result.uid = user.uid;
  return result;
}

/**
 * Normalises users in directory order. Pure; never throws. See the module comment for the rules.
 */
export function normalizeUsers(users: readonly DirectoryUser[], options: NormalizeUsersOptions = {}): NormalizeUsersResult {
  const previousByExternalId = new Map<string, string>();
  for (const synced of options.previousUsers ?? []) previousByExternalId.set(synced.externalId, synced.email);

  const kept: NormalizedUser[] = [];
  const excluded: ExcludedUser[] = [];
  const recovered: NormalizedUser[] = [];

  for (const user of users) {
    const email = normalizeEmail(user.email);
    const removing = user.deleted || (options.removeDisabled === true && user.disabled);
    if (!isValidExternalId(user.externalId)) {
      excluded.push({ user, reason: 'external-id-invalid', removalLost: removing, message: exclusionMessage('external-id-invalid', user, email) });
      continue;
    }
    const problem = emailProblem(email);
    if (problem === null && email !== null) {
      kept.push(withEmail(user, email, 'directory'));
      continue;
    }
    const reason = EXCLUSION_BY_PROBLEM[problem ?? 'missing'];
    if (removing) {
      const previousEmail = normalizeEmail(previousByExternalId.get(user.externalId));
      if (previousEmail !== null && emailProblem(previousEmail) === null) {
        const rescued = withEmail(user, previousEmail, 'previous-sync');
        kept.push(rescued);
        recovered.push(rescued);
        continue;
      }
    }
    excluded.push({ user, reason, removalLost: removing, message: exclusionMessage(reason, user, email) });
  }

  return { users: kept, excluded, recovered, warnings: userWarnings(excluded, recovered) };
}

function userWarnings(excluded: readonly ExcludedUser[], recovered: readonly NormalizedUser[]): ReadWarning[] {
  const warnings: ReadWarning[] = [];
  const lost = excluded.filter((e) => e.removalLost);
  const byReason = (reason: UserExclusionReason): ExcludedUser[] => excluded.filter((e) => !e.removalLost && e.reason === reason);

  const noEmail = byReason('no-email');
  if (noEmail.length > 0) {
    warnings.push({
      code: 'user-no-email',
      message: `${plural(noEmail.length, 'user has', 'users have')} no email and ${noEmail.length === 1 ? 'is' : 'are'} not synced: ${formatList(noEmail.map((e) => describeUser(e.user)))}.`,
    });
  }
  const tooLong = byReason('email-too-long');
  if (tooLong.length > 0) {
    warnings.push({
      code: 'user-email-too-long',
      message: `${plural(tooLong.length, 'user has', 'users have')} an email longer than ${MAX_EMAIL_LENGTH} characters and ${tooLong.length === 1 ? 'is' : 'are'} not synced: ${formatList(tooLong.map((e) => describeUser(e.user)))}.`,
    });
  }
  const invalid = byReason('email-invalid');
  if (invalid.length > 0) {
    warnings.push({
      code: 'user-email-invalid',
      message:
        `${plural(invalid.length, 'user has', 'users have')} an email the server rejects (it needs exactly one @, not first or last, and no line break) ` +
        `and ${invalid.length === 1 ? 'is' : 'are'} not synced: ${formatList(invalid.map((e) => `${describeUser(e.user)} ${JSON.stringify(normalizeEmail(e.user.email))}`))}.`,
    });
  }
  const badId = byReason('external-id-invalid');
  if (badId.length > 0) {
    warnings.push({
      code: 'user-external-id-invalid',
      message: `${plural(badId.length, 'user has', 'users have')} a blank externalId or one longer than ${MAX_EXTERNAL_ID_LENGTH} characters and ${badId.length === 1 ? 'is' : 'are'} not synced: ${formatList(badId.map((e) => describeUser(e.user)))}.`,
    });
  }
  if (lost.length > 0) {
    warnings.push({
      code: 'deleted-user-not-removable',
      message:
        `${plural(lost.length, 'user is', 'users are')} deleted (or disabled with removeDisabled on) but ${lost.length === 1 ? 'has' : 'have'} no usable email ` +
        `and ${lost.length === 1 ? 'was' : 'were'} never synced by dirconn, so the removal cannot be sent; remove ${lost.length === 1 ? 'it' : 'them'} from the organization by hand if present: ` +
        `${formatList(lost.map((e) => e.message))}.`,
    });
  }
  if (recovered.length > 0) {
    warnings.push({
      code: 'deleted-user-email-recovered',
      message:
        `${plural(recovered.length, 'deleted user has', 'deleted users have')} no usable email in the directory; the removal is sent with the email of the last sync: ` +
        `${formatList(recovered.map((u) => `${describeUser(u)} <${u.email}>`))}.`,
    });
  }
  return warnings;
}

/** Why a group read from the directory is not sent. */
export type GroupExclusionReason = 'name-invalid' | 'external-id-invalid';

/** A group left out, with the reason. */
export interface ExcludedGroup {
  /** Position in the list read. */
  index: number;
  group: DirectoryGroup;
  reason: GroupExclusionReason;
  message: string;
}

/** What `checkGroups` returns. */
export interface CheckGroupsResult {
  excluded: ExcludedGroup[];
  warnings: ReadWarning[];
}

/**
 * Finds groups the server would reject (blank name or name over 100 characters, blank externalId or
 * one over 300). They stay in the nesting graph (their members still flow to parent groups) but are
 * not sent.
 */
export function checkGroups(groups: readonly DirectoryGroup[]): CheckGroupsResult {
  const excluded: ExcludedGroup[] = [];
  groups.forEach((group, index) => {
    const label = group.referenceId !== '' ? group.referenceId : group.name;
    if (!isValidExternalId(group.externalId)) {
      excluded.push({ index, group, reason: 'external-id-invalid', message: `${label} has a blank externalId or one longer than ${MAX_EXTERNAL_ID_LENGTH} characters` });
    } else if (group.name.trim() === '' || group.name.length > MAX_GROUP_NAME_LENGTH) {
      excluded.push({ index, group, reason: 'name-invalid', message: `${label} has a blank name or one longer than ${MAX_GROUP_NAME_LENGTH} characters` });
    }
  });
  const warnings: ReadWarning[] = [];
  const badName = excluded.filter((e) => e.reason === 'name-invalid');
  if (badName.length > 0) {
    warnings.push({ code: 'group-name-invalid', message: `${plural(badName.length, 'group is', 'groups are')} not synced because the server rejects the name: ${formatList(badName.map((e) => e.message))}.` });
  }
  const badId = excluded.filter((e) => e.reason === 'external-id-invalid');
  if (badId.length > 0) {
    warnings.push({ code: 'group-external-id-invalid', message: `${plural(badId.length, 'group is', 'groups are')} not synced because the server rejects the externalId: ${formatList(badId.map((e) => e.message))}.` });
  }
  return { excluded, warnings };
}
