// Read endpoints of the official public API (bitwarden-api.md §5, §8.8). Vaultwarden has none: the
// server answers them with Rocket's 404 before calling anything here.

import type { FakeBitwardenState, FakeEvent, FakeGroup, FakeMember, FakeOrganization } from './state.js';
import type { FakeRoute } from './faults.js';
import { modelStateError, officialError } from './responses.js';
import type { FakeRequest, FakeResponse } from './responses.js';

const GUID_PLAIN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** True for the GUID spellings .NET's `Guid.TryParse` accepts that matter here (D, N and {D}). */
function isGuid(value: string): boolean {
  const inner = value.startsWith('{') && value.endsWith('}') ? value.slice(1, -1) : value;
  return GUID_PLAIN.test(inner);
}

function canonicalGuid(value: string): string {
  const hex = value.replace(/[{}-]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A public-API route: which handler, and the `{id}` when there is one. */
export interface ReadRoute {
  route: FakeRoute;
  id: string | null;
}

/** Maps a `/public/...` GET path to a read route; null when no read route matches. */
export function matchReadRoute(path: string): ReadRoute | null {
  const parts = path.split('/').filter((part) => part !== '');
  if (parts[0]?.toLowerCase() !== 'public') return null;
  const [, a, b, c] = parts.map((part) => decodeURIComponent(part));
  const lower = (value: string | undefined): string | undefined => value?.toLowerCase();
  if (parts.length === 2 && lower(a) === 'members') return { route: 'members', id: null };
  if (parts.length === 3 && lower(a) === 'members') return { route: 'member', id: b as string };
  if (parts.length === 4 && lower(a) === 'members' && lower(c) === 'group-ids') return { route: 'member-group-ids', id: b as string };
  if (parts.length === 2 && lower(a) === 'groups') return { route: 'groups', id: null };
  if (parts.length === 3 && lower(a) === 'groups') return { route: 'group', id: b as string };
  if (parts.length === 4 && lower(a) === 'groups' && lower(c) === 'member-ids') return { route: 'group-member-ids', id: b as string };
  if (parts.length === 2 && lower(a) === 'events') return { route: 'events', id: null };
  if (parts.length === 3 && lower(a) === 'organization' && lower(b) === 'subscription') return { route: 'subscription', id: null };
  return null;
}

function memberJson(member: FakeMember, withCollections: boolean): object {
  return {
    object: 'member',
    id: member.id,
    userId: member.userId,
    name: member.name,
    email: member.email,
    twoFactorEnabled: member.twoFactorEnabled,
    status: member.status,
    collections: withCollections ? member.collections.map((c) => ({ ...c })) : null,
    resetPasswordEnrolled: member.resetPasswordEnrolled,
    ssoExternalId: member.ssoExternalId,
    type: member.type,
    externalId: member.externalId,
    permissions: member.type === 4 ? (member.permissions ?? {}) : null,
  };
}

function groupJson(group: FakeGroup): object {
  return { object: 'group', id: group.id, name: group.name, externalId: group.externalId, collections: group.collections.map((c) => ({ ...c })) };
}

function eventJson(event: FakeEvent): object {
  return {
    object: 'event',
    type: event.type,
    itemId: null,
    collectionId: null,
    groupId: event.groupId,
    policyId: null,
    memberId: event.memberId,
    actingUserId: null,
    installationId: null,
    date: event.date,
    device: 21,
    ipAddress: '127.0.0.1',
    secretId: null,
    projectId: null,
    serviceAccountId: null,
  };
}

const list = (data: object[], continuationToken: string | null = null): FakeResponse => ({ status: 200, body: { object: 'list', data, continuationToken } });
const notFound: FakeResponse = { status: 404 };
const EVENT_PAGE = 100;

function events(request: FakeRequest, state: FakeBitwardenState, org: FakeOrganization): FakeResponse {
  // `useEvents` off: our design answers 404 (the endpoint is unavailable to the organization).
  if (!org.useEvents) return notFound;
  const now = state.clock.now().getTime();
  const parseDate = (name: string): number | null | 'bad' => {
    const raw = request.query.get(name);
    if (raw === null || raw === '') return null;
    const time = Date.parse(raw);
    return Number.isNaN(time) ? 'bad' : time;
  };
  const startRaw = parseDate('start');
  const endRaw = parseDate('end');
  if (startRaw === 'bad') return modelStateError({ start: [`The value '${request.query.get('start') ?? ''}' is not valid for Start.`] });
  if (endRaw === 'bad') return modelStateError({ end: [`The value '${request.query.get('end') ?? ''}' is not valid for End.`] });
  const end = endRaw ?? now;
  const start = startRaw ?? end - 30 * 86_400_000;
  if (end - start >= 367 * 86_400_000) return officialError(400, 'Date range must be < 367 days.');
  const itemId = request.query.get('itemId');
  const actingUserId = request.query.get('actingUserId');
  const offset = Number(request.query.get('continuationToken') ?? '0') || 0;
  const matching = state
    .eventsOf(org.id)
    .filter((event) => {
      const time = Date.parse(event.date);
      return time >= start && time <= end;
    })
    .filter((event) => itemId === null || event.memberId === itemId || event.groupId === itemId)
    .filter(() => actingUserId === null)
    .reverse();
  const page = matching.slice(offset, offset + EVENT_PAGE);
  const next = offset + EVENT_PAGE < matching.length ? String(offset + EVENT_PAGE) : null;
  return list(page.map(eventJson), next);
}

/** Handles an official read route for the organization of the token. */
export function officialRead(request: FakeRequest, route: ReadRoute, state: FakeBitwardenState, orgId: string): FakeResponse {
  const org = state.organization(orgId);
  if (org === undefined) return notFound;
  let id: string | null = null;
  if (route.id !== null) {
    if (!isGuid(route.id)) return modelStateError({ id: [`The value '${route.id}' is not valid.`] });
    id = canonicalGuid(route.id);
  }
  // Single-entry routes look the entry up by id (indexed): a read of 10k groups' member ids must not
  // scan every member and group of the organization per request.
  const findMember = (): FakeMember | undefined => (id === null ? undefined : state.findMember(org.id, id));
  const findGroup = (): FakeGroup | undefined => (id === null ? undefined : state.findGroup(org.id, id));
  switch (route.route) {
    case 'members':
      return list(state.membersOf(org.id).map((m) => memberJson(m, false)));
    case 'member': {
      const member = findMember();
      return member === undefined ? notFound : { status: 200, body: memberJson(member, true) };
    }
    case 'member-group-ids': {
      const member = findMember();
      return member === undefined ? notFound : { status: 200, body: state.groupsOf(org.id).filter((g) => g.memberIds.includes(member.id)).map((g) => g.id) };
    }
    case 'groups':
      return list(state.groupsOf(org.id).map(groupJson));
    case 'group': {
      const group = findGroup();
      return group === undefined ? notFound : { status: 200, body: groupJson(group) };
    }
    case 'group-member-ids': {
      const group = findGroup();
      return group === undefined ? notFound : { status: 200, body: [...group.memberIds] };
    }
    case 'events':
      return events(request, state, org);
    case 'subscription':
      if (org.selfHosted) return officialError(400, 'Only allowed when not self hosted.');
      return {
        status: 200,
        body: {
          object: 'organizationSubscription',
          passwordManager: { seats: org.seats, maxAutoScaleSeats: org.maxAutoscaleSeats, storage: 1 },
          secretsManager: { seats: null, maxAutoScaleSeats: null, serviceAccounts: null, maxAutoScaleServiceAccounts: null },
        },
      };
    default:
      return notFound;
  }
}
