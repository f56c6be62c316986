/**
 * Reads the live organization (bitwarden-api.md §5) for planning against it: members, groups with
 * their member ids (one read per group, a bounded number at a time) and the seat count.
 */
import type { MemberStatus, MemberType, OrgGroup, OrgMember, OrgSnapshot } from '../model/organization.js';
import { parseJsonOrUndefined, throwIfAborted } from '../http/http-helpers.js';
import { isRecord } from './error-body.js';
import type { BitwardenApi } from './bitwarden-api.js';

/** Default number of parallel group `member-ids` reads in `readOrganization`. */
export const DEFAULT_READ_CONCURRENCY = 8;

/** Seats of a cloud organization (`GET /public/organization/subscription`). */
export interface OrgSubscription {
  /** Password Manager seats; null = unlimited. */
  seats: number | null;
  /** Autoscale ceiling; null = no limit. */
  maxAutoscaleSeats: number | null;
}

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

  /** Members and groups with member ids; null when the server cannot report them (404: Vaultwarden). */
  async readOrganization(signal: AbortSignal | undefined): Promise<OrgSnapshot | null> {
    // Compact as it goes: the raw member list is dropped once mapped, and the member ids of the groups
    // (one read per group, `concurrency` at a time) reuse the members' id strings, so 500k
    // memberships cost 500k references rather than 500k new strings.
    const members = await this.#readMembers(signal);
    if (members === null) return null;
    const groupsBody = await this.#api.getJson('GET /public/groups', '/public/groups', signal);
    if (groupsBody === null) return null;
    const rawGroups = this.#listData(groupsBody, 'groups');
    const memberIds = new Map<string, string>();
    for (const member of members) memberIds.set(member.id, member.id);
    const groups = await mapLimit(rawGroups, this.#concurrency, signal, async (raw, index, innerSignal): Promise<OrgGroup> => {
      if (!isRecord(raw) || typeof raw['id'] !== 'string' || typeof raw['name'] !== 'string') {
        throw this.#api.unexpected('groups', `entry ${index} is not a group`);
      }
      const id = raw['id'];
      const ids = await this.#api.getJson('GET /public/groups/{id}/member-ids', `/public/groups/${encodeURIComponent(id)}/member-ids`, innerSignal);
      if (ids !== null && (!Array.isArray(ids) || ids.some((value) => typeof value !== 'string'))) {
        throw this.#api.unexpected('group member ids', `group ${id} did not return a list of ids`);
      }
      const externalId = typeof raw['externalId'] === 'string' && raw['externalId'].trim() !== '' ? raw['externalId'] : null;
      // A group deleted between the two reads answers 404: treat it as empty.
      return { id, name: raw['name'], externalId, memberIds: ids === null ? [] : (ids as string[]).map((value) => memberIds.get(value) ?? value) };
    });
    return { members, groups };
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
