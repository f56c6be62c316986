// The fake's Admin SDK Directory API v1 endpoints (directory-apis.md §3.2–3.6): users.list (customer,
// domain, query, showDeleted), users.get, groups.list (customer, domain, query, userKey),
// members.list (nested groups, CUSTOMER, EXTERNAL), with maxResults limits and opaque page tokens tied
// to the request's parameters. Test-only.

import { createHash } from 'node:crypto';
import { InvalidQueryError, groupQuery, userQuery } from './query.js';
import { domainOf, type FakeGoogleGroup, type FakeGoogleState, type FakeGoogleUser } from './state.js';

/** A JSON response. */
export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Directory API routes the fake tells apart (for faults and counts). */
export type DirectoryRoute = 'users' | 'user' | 'groups' | 'members';

/** The Directory API error envelope (directory-apis.md §3.7). */
export function apiError(status: number, reason: string, message: string, domain = 'global'): ApiResponse {
  const statusText: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };
  return { status, body: { error: { code: status, message, errors: [{ message, domain, reason }], status: statusText[status] ?? 'UNKNOWN' } } };
}

/** Which page a request asks for: 1 without a page token. */
export function pageNumberOf(query: URLSearchParams, pageSizeDefault: number): number {
  const token = query.get('pageToken');
  if (!token) return 1;
  const decoded = decodeToken(token);
  const size = Number(query.get('maxResults') ?? pageSizeDefault) || pageSizeDefault;
  return decoded === null ? 0 : Math.floor(decoded.offset / size) + 1;
}

interface PageToken {
  offset: number;
  /** Hash of the parameters the listing was started with. */
  params: string;
  generation: number;
}

function decodeToken(token: string): PageToken | null {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageToken;
    return typeof value.offset === 'number' && typeof value.params === 'string' && typeof value.generation === 'number' ? value : null;
  } catch {
    return null;
  }
}

/** Serves the Directory API over a {@link FakeGoogleState}. */
export class FakeDirectoryApi {
  /** Bumped by {@link expirePageTokens}: older tokens are rejected with 400. */
  #generation = 0;

  constructor(private readonly state: FakeGoogleState) {}

  /** Invalidates every page token handed out so far (their next use gets 400 "Invalid page token"). */
  expirePageTokens(): void {
    this.#generation++;
  }

  /** Routes a GET under `/admin/directory/v1`; null when the path is not a Directory API route. */
  route(path: string): { route: DirectoryRoute; key?: string } | null {
    const rest = path.replace(/^\/admin\/directory\/v1/, '');
    if (rest === path) return null;
    if (rest === '/users') return { route: 'users' };
    if (rest === '/groups') return { route: 'groups' };
    const members = /^\/groups\/([^/]+)\/members$/.exec(rest);
    if (members?.[1]) return { route: 'members', key: decodeURIComponent(members[1]) };
    const user = /^\/users\/([^/]+)$/.exec(rest);
    if (user?.[1]) return { route: 'user', key: decodeURIComponent(user[1]) };
    return null;
  }

  /** Answers one Directory API request. */
  handle(route: DirectoryRoute, key: string | undefined, query: URLSearchParams): ApiResponse {
    try {
      switch (route) {
        case 'users':
          return this.#users(query);
        case 'user':
          return this.#user(key ?? '');
        case 'groups':
          return this.#groups(query);
        default:
          return this.#members(key ?? '', query);
      }
    } catch (error) {
      if (error instanceof InvalidQueryError) return apiError(400, 'invalid', `Invalid Input: ${error.message}`);
      throw error;
    }
  }

  /** `customer`/`domain` scoping shared by users.list and groups.list; an error response or the domain filter. */
  #scope(query: URLSearchParams): ApiResponse | ((email: string) => boolean) {
    const customer = query.get('customer') || null;
    const domain = query.get('domain')?.toLowerCase() || null;
    if (customer === null && domain === null) return apiError(400, 'badRequest', 'Bad Request');
    if (customer !== null && customer !== 'my_customer' && customer !== this.state.customerId) return apiError(400, 'badRequest', 'Bad Request');
    if (domain !== null && !this.state.domains.includes(domain)) return apiError(404, 'notFound', 'Domain not found.');
    return (email) => domain === null || domainOf(email) === domain;
  }

  #page<T>(items: T[], query: URLSearchParams, max: number, def: number, params: string[]): ApiResponse | { items: T[]; next: string | null } {
    const sizeText = query.get('maxResults');
    const size = sizeText ? Number(sizeText) : def;
    if (!Number.isInteger(size) || size < 1 || size > max) return apiError(400, 'invalid', `Invalid value '${sizeText ?? ''}'. Values must be within the range: [1, ${max}]`);
    const hash = createHash('sha256').update(params.join('\u0000')).digest('hex').slice(0, 16);
    let offset = 0;
    const token = query.get('pageToken');
    if (token) {
      const decoded = decodeToken(token);
      if (decoded === null || decoded.params !== hash || decoded.generation !== this.#generation) return apiError(400, 'invalid', 'Invalid page token');
      offset = decoded.offset;
    }
    const slice = items.slice(offset, offset + size);
    const nextOffset = offset + size;
    const next = nextOffset < items.length ? Buffer.from(JSON.stringify({ offset: nextOffset, params: hash, generation: this.#generation })).toString('base64url') : null;
    return { items: slice, next };
  }

  #users(query: URLSearchParams): ApiResponse {
    const scope = this.#scope(query);
    if (typeof scope !== 'function') return scope;
    const deleted = query.get('showDeleted') === 'true';
    const matches = userQuery(query.get('query') ?? undefined);
    const users = this.state.users.filter((u) => (u.deletionTime !== null) === deleted && scope(u.primaryEmail) && matches(u));
    const page = this.#page(users, query, 500, 100, ['users', query.get('customer') ?? '', query.get('domain') ?? '', query.get('query') ?? '', String(deleted)]);
    if ('status' in page) return page;
    const body: Record<string, unknown> = { kind: 'admin#directory#users', etag: '"fake"' };
    if (page.items.length > 0) body['users'] = page.items.map((u) => userResource(u, this.state.customerId));
    if (page.next) body['nextPageToken'] = page.next;
    return { status: 200, body };
  }

  #user(key: string): ApiResponse {
    const user = this.state.user(key);
    return user ? { status: 200, body: userResource(user, this.state.customerId) } : apiError(404, 'notFound', 'Resource Not Found: userKey');
  }

  #isDirectMember(group: FakeGoogleGroup, memberKey: string): boolean {
    const key = memberKey.toLowerCase();
    const user = this.state.user(memberKey);
    return group.members.some((m) => m.type !== 'CUSTOMER' && (m.email === key || (user !== undefined && m.email === user.primaryEmail)));
  }

  #groups(query: URLSearchParams): ApiResponse {
    const userKey = query.get('userKey') || null;
    let scope: ((email: string) => boolean) | null = null;
    if (userKey === null) {
      const s = this.#scope(query);
      if (typeof s !== 'function') return s;
      scope = s;
    } else if (!this.state.user(userKey)) return apiError(404, 'notFound', 'Resource Not Found: userKey');
    const matches = groupQuery(query.get('query') ?? undefined, (g, k) => this.#isDirectMember(g, k));
    const groups = this.state.groups.filter((g) => (scope === null || scope(g.email)) && (userKey === null || this.#isDirectMember(g, userKey)) && matches(g));
    const page = this.#page(groups, query, 200, 200, ['groups', query.get('customer') ?? '', query.get('domain') ?? '', query.get('query') ?? '', userKey ?? '']);
    if ('status' in page) return page;
    const body: Record<string, unknown> = { kind: 'admin#directory#groups', etag: '"fake"' };
    if (page.items.length > 0) {
      body['groups'] = page.items.map((g) => ({ kind: 'admin#directory#group', id: g.id, email: g.email, name: g.name, directMembersCount: String(this.#members0(g).length), description: '', adminCreated: true }));
    }
    if (page.next) body['nextPageToken'] = page.next;
    return { status: 200, body };
  }

  /** The member resources of a group (deleted users drop out). */
  #members0(group: FakeGoogleGroup): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const m of group.members) {
      if (m.type === 'CUSTOMER') out.push({ kind: 'admin#directory#member', id: this.state.customerId, role: 'MEMBER', type: 'CUSTOMER', status: 'ACTIVE' });
      else if (m.type === 'GROUP') {
        const child = this.state.group(m.email);
        if (child) out.push({ kind: 'admin#directory#member', id: child.id, email: child.email, role: 'MEMBER', type: 'GROUP', status: 'ACTIVE' });
      } else if (m.type === 'EXTERNAL') {
        out.push({ kind: 'admin#directory#member', id: `ext-${createHash('sha1').update(m.email).digest('hex').slice(0, 12)}`, email: m.email, role: 'MEMBER', type: 'EXTERNAL', status: 'ACTIVE' });
      } else {
        const user = this.state.user(m.email);
        if (user) out.push({ kind: 'admin#directory#member', id: user.id, email: user.primaryEmail, role: 'MEMBER', type: 'USER', status: user.suspended ? 'SUSPENDED' : 'ACTIVE' });
      }
    }
    return out;
  }

  #members(groupKey: string, query: URLSearchParams): ApiResponse {
    const group = this.state.group(groupKey);
    if (!group) return apiError(404, 'notFound', 'Resource Not Found: groupKey');
    // Stray domain/customer parameters (the reference sends them) are ignored, like Google does.
    const page = this.#page(this.#members0(group), query, 200, 200, ['members', group.id]);
    if ('status' in page) return page;
    const body: Record<string, unknown> = { kind: 'admin#directory#members', etag: '"fake"' };
    if (page.items.length > 0) body['members'] = page.items;
    if (page.next) body['nextPageToken'] = page.next;
    return { status: 200, body };
  }
}

/** A user resource as users.list returns it. */
function userResource(u: FakeGoogleUser, customerId: string): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    kind: 'admin#directory#user',
    id: u.id,
    etag: '"fake"',
    primaryEmail: u.primaryEmail,
    name: { givenName: u.givenName, familyName: u.familyName, fullName: `${u.givenName} ${u.familyName}` },
    isAdmin: u.isAdmin,
    isDelegatedAdmin: false,
    suspended: u.suspended,
    archived: u.archived,
    emails: u.emails,
    customerId,
    orgUnitPath: u.orgUnitPath,
    creationTime: '2024-01-01T00:00:00.000Z',
  };
  if (u.suspended) resource['suspensionReason'] = 'ADMIN';
  if (u.deletionTime !== null) resource['deletionTime'] = u.deletionTime;
  return resource;
}
