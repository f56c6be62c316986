// The read routes of the fake OneLogin account (API v2): users, roles and a role's users, with query
// filters and cursor paging. Test-only.

import type { FakeOneLoginRole, FakeOneLoginState, FakeOneLoginUser } from './state.js';

/** The read routes. */
export type FakeOneLoginReadRoute = 'users' | 'roles' | 'members';

/** An answer before serialisation. */
export type ReadAnswer = { status: number; headers?: Record<string, string>; body: unknown; raw?: string };

/** Largest and default page sizes per route (v2: users up to 1000, roles up to 650). */
export const PAGE_LIMITS: Record<FakeOneLoginReadRoute, { max: number; default: number }> = { users: { max: 1000, default: 50 }, roles: { max: 650, default: 50 }, members: { max: 650, default: 50 } };

const USER_FILTERS = ['email', 'username', 'firstname', 'lastname', 'id', 'external_id', 'directory_id', 'since', 'until'];
const ROLE_FILTERS = ['id', 'name'];
/** Parameters every list accepts besides its filters. */
const COMMON = ['limit', 'cursor', 'page', 'sort', 'fields', 'include_unassigned'];

const badRequest = (message: string): ReadAnswer => ({ status: 400, body: { message, statusCode: 400, name: 'BadRequestError' } });

/** `value` matches `pattern` with `*` wildcards, case-insensitive; a leading `!` negates. */
export function matchesPattern(value: string | number | null, pattern: string): boolean {
  const negate = pattern.startsWith('!');
  const body = negate ? pattern.slice(1) : pattern;
  const alternatives = body.split(',');
  const text = value === null ? '' : String(value).toLowerCase();
  const hit = alternatives.some((alt) => new RegExp(`^${alt.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(text));
  return negate ? !hit : hit;
}

function userFilter(params: URLSearchParams): ((u: FakeOneLoginUser) => boolean) | ReadAnswer {
  const checks: ((u: FakeOneLoginUser) => boolean)[] = [];
  for (const [name, value] of params) {
    if (COMMON.includes(name)) continue;
    if (!USER_FILTERS.includes(name)) return badRequest(`Unknown query parameter: ${name}`);
    if (name === 'since' || name === 'until') {
      const at = Date.parse(value);
      if (Number.isNaN(at)) return badRequest(`${name} must be an ISO 8601 date`);
      checks.push((u) => (name === 'since' ? Date.parse(u.updated_at) >= at : Date.parse(u.updated_at) <= at));
      continue;
    }
    checks.push((u) => matchesPattern(u[name as 'email'], value));
  }
  return (u) => checks.every((c) => c(u));
}

function roleFilter(params: URLSearchParams): ((r: FakeOneLoginRole) => boolean) | ReadAnswer {
  const checks: ((r: FakeOneLoginRole) => boolean)[] = [];
  for (const [name, value] of params) {
    if (COMMON.includes(name)) continue;
    if (!ROLE_FILTERS.includes(name)) return badRequest(`Unknown query parameter: ${name}`);
    checks.push((r) => matchesPattern(r[name as 'name'], value));
  }
  return (r) => checks.every((c) => c(r));
}

/** Page `items` by the request's `limit` and `cursor` (an opaque offset), with v2 paging headers. */
function page(items: unknown[], route: FakeOneLoginReadRoute, params: URLSearchParams): ReadAnswer {
  const limits = PAGE_LIMITS[route];
  const limit = Math.max(1, Math.min(Number(params.get('limit') ?? limits.default) || limits.default, limits.max));
  const cursor = params.get('cursor');
  let offset = 0;
  if (cursor !== null) {
    const decoded = Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) return badRequest('Invalid cursor');
    offset = decoded;
  }
  const slice = items.slice(offset, offset + limit);
  const headers: Record<string, string> = {
    'total-count': String(items.length),
    'total-pages': String(Math.max(1, Math.ceil(items.length / limit))),
    'current-page': String(Math.floor(offset / limit) + 1),
    'page-items': String(slice.length),
  };
  if (offset > 0) headers['before-cursor'] = Buffer.from(`o:${Math.max(0, offset - limit)}`).toString('base64url');
  if (offset + limit < items.length) headers['after-cursor'] = Buffer.from(`o:${offset + limit}`).toString('base64url');
  return { status: 200, headers, body: slice };
}

/** Answers a read route (the caller has checked authorization and limits). */
export function answerRead(state: FakeOneLoginState, route: FakeOneLoginReadRoute, id: string | null, url: URL): ReadAnswer {
  const params = url.searchParams;
  if (route === 'users') {
    const filter = userFilter(params);
    if (typeof filter !== 'function') return filter;
    return page(state.users.filter(filter), route, params);
  }
  if (route === 'roles') {
    const filter = roleFilter(params);
    if (typeof filter !== 'function') return filter;
    return page(state.roles.filter(filter), route, params);
  }
  const role = state.roles.find((r) => String(r.id) === id);
  if (!role) return { status: 404, body: { message: 'Role not found', statusCode: 404, name: 'NotFoundError' } };
  const members = state.membersOf(role).map((u) => ({ id: u.id, name: `${u.firstname} ${u.lastname}`.trim(), email: u.email, username: u.username, assigned: true }));
  return page(members, route, params);
}
