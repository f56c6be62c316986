/**
 * Reads the live organization (bitwarden-api.md §5) for planning against it: members, groups, the
 * member ids of all or some groups (one read per group, a bounded number at a time) and the seat count.
 */
import type { MemberStatus, MemberType, OrgGroup, OrgMember, OrgSnapshot, OrgSubscription } from '../model/organization.js';
import { parseJsonOrUndefined, throwIfAborted } from '../http/http-helpers.js';
import { isRecord } from './error-body.js';
import type { BitwardenApi } from './bitwarden-api.js';

/** Default number of parallel group `member-ids` reads in `readOrganization`. */
export const DEFAULT_READ_CONCURRENCY = 8;

export type { OrgSubscription } from '../model/organization.js';

const MEMBER_TYPES: readonly number[] = [0, 1, 2, 4];
const MEMBER_STATUSES: readonly number[] = [-1, 0, 1, 2, 3];

/** Reads one organization through authorized API requests. */
export class OrganizationReader {
  readonly #api: BitwardenApi;
  readonly #concurrency: number;

  /** @param concurrency parallel `member-ids` reads (at least 1) */
  constructor(api: BitwardenApi, concurrency: number) {
    this.#api = api;
    this.#concurrency = Math.max(1, Math.floor(concurrency));
  }

  /**
   * Members and groups; null when the server cannot report them (404: Vaultwarden). With
   * `groupMembers: 'all'` (default) every group's member ids are read (one request per group,
   * `concurrency` at a time); with `'none'` they are left null for {@link readGroupMembers}.
   */
  async readOrganization(signal: AbortSignal | undefined, options: { groupMembers?: 'all' | 'none' } = {}): Promise<OrgSnapshot | null> {
    const members = await this.#readMembers(signal);
    if (members === null) return null;
    const groupsBody = await this.#api.getJson('GET /public/groups', '/public/groups', signal);
    if (groupsBody === null) return null;
    const groups = this.#listData(groupsBody, 'groups').map((raw, index): OrgGroup => {
      if (!isRecord(raw) || typeof raw['id'] !== 'string' || typeof raw['name'] !== 'string') {
        throw this.#api.unexpected('groups', `entry ${index} is not a group`);
      }
      const externalId = typeof raw['externalId'] === 'string' && raw['externalId'].trim() !== '' ? raw['externalId'] : null;
      return { id: raw['id'], name: raw['name'], externalId, memberIds: null };
    });
    const org = { members, groups };
    if (options.groupMembers === 'none') return org;
    return this.readGroupMembers(org, groups.map((g) => g.id), signal);
  }

  /**
   * The organization with the member ids of the groups `groupIds` read (the others as they were).
   * Compact as it goes: the member ids reuse the members' id strings, so 500k memberships cost 500k
   * references rather than 500k new strings.
   */
  async readGroupMembers(org: OrgSnapshot, groupIds: readonly string[], signal: AbortSignal | undefined): Promise<OrgSnapshot> {
    if (groupIds.length === 0) return org;
    const interned = new Map<string, string>();
    for (const member of org.members) interned.set(member.id, member.id);
    const wanted = [...new Set(groupIds)];
    const read = await mapLimit(wanted, this.#concurrency, signal, async (id, _index, innerSignal): Promise<string[]> => {
      const ids = await this.#api.getJson('GET /public/groups/{id}/member-ids', `/public/groups/${encodeURIComponent(id)}/member-ids`, innerSignal);
      if (ids !== null && (!Array.isArray(ids) || ids.some((value) => typeof value !== 'string'))) {
        throw this.#api.unexpected('group member ids', `group ${id} did not return a list of ids`);
      }
      // A group deleted between the two reads answers 404: treat it as empty.
      return ids === null ? [] : (ids as string[]).map((value) => interned.get(value) ?? value);
    });
    const byId = new Map(wanted.map((id, index) => [id, read[index] as string[]]));
    return { members: org.members, groups: org.groups.map((g) => (byId.has(g.id) ? { ...g, memberIds: byId.get(g.id) as string[] } : g)) };
  }

  /** Seats; null when the server does not report them (400 on self-hosted, 404 on Vaultwarden). */
  async readSubscription(signal: AbortSignal | undefined): Promise<OrgSubscription | null> {
    const route = 'GET /public/organization/subscription';
    const response = await this.#api.send({ route, method: 'GET', path: '/public/organization/subscription' }, signal);
    if (response.status === 400 || response.status === 404) return null;
    if (response.status !== 200) throw this.#api.readError(response, route);
    const body = parseJsonOrUndefined(response.body);
    const pm = isRecord(body) ? body['passwordManager'] : undefined;
    if (!isRecord(pm)) throw this.#api.unexpected('subscription', 'no passwordManager object');
    const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
    return { seats: num(pm['seats']), maxAutoscaleSeats: num(pm['maxAutoScaleSeats']) };
  }

  /** `GET /public/members`, mapped to OrgMember (null on 404). */
  async #readMembers(signal: AbortSignal | undefined): Promise<OrgMember[] | null> {
    const body = await this.#api.getJson('GET /public/members', '/public/members', signal);
    if (body === null) return null;
    return this.#listData(body, 'members').map((raw, index) => this.#toMember(raw, index));
  }

  #listData(body: unknown, what: string): unknown[] {
    const data = isRecord(body) ? body['data'] : undefined;
    if (!Array.isArray(data)) throw this.#api.unexpected(what, 'no data list');
    return data;
  }

  #toMember(raw: unknown, index: number): OrgMember {
    if (!isRecord(raw) || typeof raw['id'] !== 'string') throw this.#api.unexpected('members', `entry ${index} is not a member`);
    const type = raw['type'];
    const status = raw['status'];
    if (typeof type !== 'number' || !MEMBER_TYPES.includes(type)) throw this.#api.unexpected('members', `member ${raw['id']} has an unknown type`);
    if (typeof status !== 'number' || !MEMBER_STATUSES.includes(status)) throw this.#api.unexpected('members', `member ${raw['id']} has an unknown status`);
    const externalId = typeof raw['externalId'] === 'string' && raw['externalId'].trim() !== '' ? raw['externalId'] : null;
    return {
      id: raw['id'],
      email: typeof raw['email'] === 'string' ? raw['email'] : '',
      externalId,
      type: type as MemberType,
      status: status as MemberStatus,
      name: typeof raw['name'] === 'string' ? raw['name'] : null,
    };
  }
}

/** Maps with at most `limit` calls in flight; the first failure cancels the rest. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const inner = new AbortController();
  const onAbort = (): void => inner.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index, inner.signal);
      } catch (error) {
        failure ??= { error };
        inner.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  throwIfAborted(signal);
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}
