/**
 * Reads the sample directory JSON (bundled or `sample.file`). Always a full read: the file is the
 * whole directory. Honors sync.users/groups and set filters, including the cloud sources' rule that
 * a group set filter scopes users to members of the kept groups (reference §5.4).
 */
import { readFile } from 'node:fs/promises';
import { DirconnError } from '@dirconn/core';
import type { DirectoryGroup, DirectoryProvider, DirectorySnapshot, DirectoryUser, ProviderDeps, ReadOptions, SyncConfig } from '@dirconn/core';
import type { SampleConfig } from './sample.config.js';
import { bundledSampleFile, parseSetFilter, passesSetFilter } from './sample.config.js';
import { scopeUsersToKeptGroups } from '../shared/set-filter.js';

/** One user of a sample directory file. */
export interface SampleUserRecord {
  id: string;
  email: string | null;
  displayName?: string;
  uid?: string;
  disabled?: boolean;
  deleted?: boolean;
  [extra: string]: unknown;
}

/** One group of a sample directory file. */
export interface SampleGroupRecord {
  id: string;
  name: string;
  /** Direct user members, by user id. */
  members?: string[];
  /** Direct child groups, by group id. */
  groups?: string[];
}

/** The sample directory file. */
export interface SampleDirectoryFile {
  users: SampleUserRecord[];
  groups: SampleGroupRecord[];
}

function invalid(file: string, why: string, cause?: unknown): DirconnError {
  return new DirconnError('config.invalid', `The sample directory ${file} is invalid: ${why}.`, {
    hint: 'Fix the file or point sample.file elsewhere ("dirconn config sample.file null" restores the bundled demo).',
    ...(cause === undefined ? {} : { cause }),
  });
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses and checks a sample directory document; errors name the file and the bad element. */
export function parseSampleDirectory(text: string, file: string): SampleDirectoryFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `not JSON (${error instanceof Error ? error.message : String(error)})`, error);
  }
  if (typeof doc !== 'object' || doc === null) throw invalid(file, 'expected an object with users and groups');
  const { users = [], groups = [] } = doc as { users?: unknown; groups?: unknown };
  if (!Array.isArray(users)) throw invalid(file, 'users must be an array');
  if (!Array.isArray(groups)) throw invalid(file, 'groups must be an array');
  users.forEach((u: unknown, i) => {
    const r = u as Partial<SampleUserRecord> | null;
    if (typeof r !== 'object' || r === null || typeof r.id !== 'string' || r.id === '') throw invalid(file, `users[${i}] has no id`);
    if (r.email !== null && r.email !== undefined && typeof r.email !== 'string') throw invalid(file, `users[${i}].email must be a string or null`);
    if (r.disabled !== undefined && typeof r.disabled !== 'boolean') throw invalid(file, `users[${i}].disabled must be true or false`);
    if (r.deleted !== undefined && typeof r.deleted !== 'boolean') throw invalid(file, `users[${i}].deleted must be true or false`);
  });
  groups.forEach((g: unknown, i) => {
    const r = g as Partial<SampleGroupRecord> | null;
    if (typeof r !== 'object' || r === null || typeof r.id !== 'string' || r.id === '') throw invalid(file, `groups[${i}] has no id`);
    if (typeof r.name !== 'string' || r.name.trim() === '') throw invalid(file, `groups[${i}] has no name`);
    if (r.members !== undefined && !isStringArray(r.members)) throw invalid(file, `groups[${i}].members must be a list of user ids`);
    if (r.groups !== undefined && !isStringArray(r.groups)) throw invalid(file, `groups[${i}].groups must be a list of group ids`);
  });
  return { users: users as SampleUserRecord[], groups: groups as SampleGroupRecord[] };
}

/** The sample implementation of the DirectoryProvider port. */
export class SampleProvider implements DirectoryProvider {
  readonly type = 'sample';
  private readonly file: string;
  private readonly sync: SyncConfig;

  constructor(deps: Pick<ProviderDeps<SampleConfig>, 'config' | 'sync'>) {
    this.file = deps.config.file?.trim() || bundledSampleFile();
    this.sync = deps.sync;
  }

  async read(options: ReadOptions): Promise<DirectorySnapshot> {
    const userFilter = parseSetFilter(this.sync.userFilter, 'sync.userFilter');
    const groupFilter = parseSetFilter(this.sync.groupFilter, 'sync.groupFilter');
    if (options.signal?.aborted) throw new DirconnError('cancelled', 'The directory read was cancelled.');
    let text: string;
    try {
      text = await readFile(this.file, { encoding: 'utf8', ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      if (options.signal?.aborted) throw new DirconnError('cancelled', 'The directory read was cancelled.', { cause: error });
      const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
      throw new DirconnError('config.invalid', `Cannot read the sample directory ${this.file}${typeof code === 'string' ? ` (${code})` : ''}.`, {
        hint: 'Check sample.file ("dirconn config sample.file null" restores the bundled demo).',
        cause: error,
      });
    }
    const doc = parseSampleDirectory(text, this.file);

    let groups: DirectoryGroup[] | null = null;
    if (options.groups) {
      groups = doc.groups
        .filter((g) => passesSetFilter(groupFilter, g.name))
        .map((g) => ({
          externalId: g.id,
          referenceId: g.id,
          name: g.name.trim(),
          userMemberExternalIds: [...new Set(g.members ?? [])],
          groupMemberReferenceIds: [...new Set(g.groups ?? [])],
        }));
    }

    let users: DirectoryUser[] | null = null;
    if (options.users) {
      users = doc.users
        .map((u) => {
          const user: DirectoryUser = {
            externalId: u.id,
            referenceId: u.id,
            email: u.email?.trim().toLowerCase() || null,
            disabled: u.disabled === true,
            deleted: u.deleted === true,
          };
          if (u.displayName) user.displayName = u.displayName;
          if (u.uid) user.uid = u.uid.toLowerCase();
          return user;
        })
        .filter((u) => passesSetFilter(userFilter, u.email));
      // Reference §5.4: a group set filter keeps only users who are direct members of a kept group
      // (deleted users, and disabled ones when they are being removed, always pass).
      if (groups !== null && groupFilter !== null) users = scopeUsersToKeptGroups(users, groups, this.sync.removeDisabled);
    }
    options.onProgress?.({ phase: 'users', count: users?.length ?? 0 });
    return {
      users,
      groups,
      mode: 'full',
      warnings: [],
      stats: { entries: doc.users.length + doc.groups.length, users: users?.length ?? 0, groups: groups?.length ?? 0 },
    };
  }

  /** The file is readable and valid. */
  async check(signal?: AbortSignal): Promise<void> {
    await this.read({ force: true, users: false, groups: false, ...(signal ? { signal } : {}) });
  }
}
