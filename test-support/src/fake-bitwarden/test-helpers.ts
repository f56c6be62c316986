// Helpers for tests that talk to the fake over real HTTP (fetch), plus the §8.6 invariant check.

import type { FakeBitwarden } from './fake-bitwarden-server.js';
import type { FakeStateSnapshot } from './state.js';

/** A response read completely. */
export interface FetchedResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: unknown;
}

async function read(response: Response): Promise<FetchedResponse> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Form fields of a valid token request for the fake's default organization (override or drop with `undefined`). */
export function tokenForm(fake: FakeBitwarden, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    grant_type: 'client_credentials',
    scope: 'api.organization',
    client_id: fake.clientId,
    client_secret: fake.apiKey,
    deviceType: '25',
    deviceIdentifier: '6d4b9c2e-0000-4000-8000-000000000001',
    deviceName: 'dirconn-test',
    ...overrides,
  };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}

/** `POST <url><path>` with a form body (default path `/identity/connect/token`). */
export async function requestToken(
  fake: FakeBitwarden,
  overrides: Record<string, string | undefined> = {},
  options: { path?: string; headers?: Record<string, string>; method?: string; body?: string } = {},
): Promise<FetchedResponse> {
  const init: RequestInit = {
    method: options.method ?? 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...options.headers },
  };
  if (init.method !== 'GET') init.body = options.body ?? new URLSearchParams(tokenForm(fake, overrides)).toString();
  return read(await fetch(`${fake.url}${options.path ?? '/identity/connect/token'}`, init));
}

/** A fresh access token for the default organization (fails the test when refused). */
export async function accessToken(fake: FakeBitwarden): Promise<string> {
  const response = await requestToken(fake);
  const token = (response.json as { access_token?: unknown } | undefined)?.access_token;
  if (response.status !== 200 || typeof token !== 'string') throw new Error(`token request failed: ${response.status} ${response.text}`);
  return token;
}

/** A complete import body with every field (§6.2 rule 1). */
export interface ImportBody {
  groups: { name: string; externalId: string; memberExternalIds: string[] }[];
  members: { email: string | null; externalId: string; deleted: boolean }[];
  overwriteExisting: boolean;
  largeImport: boolean;
  inviteUsersAfterProvisioning: boolean;
}

/** Fills the defaults of an import body. */
export function importBody(partial: Partial<ImportBody> = {}): ImportBody {
  return { groups: [], members: [], overwriteExisting: false, largeImport: false, inviteUsersAfterProvisioning: true, ...partial };
}

/** `POST /api/public/organization/import` (object bodies are JSON-encoded). */
export async function postImport(
  fake: FakeBitwarden,
  token: string,
  body: unknown,
  options: { contentType?: string; path?: string } = {},
): Promise<FetchedResponse> {
  const response = await fetch(`${fake.url}${options.path ?? '/api/public/organization/import'}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': options.contentType ?? 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return read(response);
}

/** `GET <url><path>` with the bearer token (none when null). */
export async function getJson(fake: FakeBitwarden, path: string, token: string | null): Promise<FetchedResponse> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  return read(await fetch(`${fake.url}${path}`, { headers }));
}

/**
 * The §8.6 invariants of an official import, between two snapshots of one organization: members
 * without externalId are never removed, Owners are never removed, groups are never deleted, type,
 * status and email of surviving members never change, and groups not in the request are untouched
 * (except that removed members leave every group). Returns the violations (empty = fine).
 */
export function importInvariantViolations(before: FakeStateSnapshot, after: FakeStateSnapshot, orgId: string, requestGroupExternalIds: readonly string[]): string[] {
  const problems: string[] = [];
  const afterMembers = new Map(after.members.filter((m) => m.orgId === orgId).map((m) => [m.id, m]));
  const removed = new Set<string>();
  for (const member of before.members.filter((m) => m.orgId === orgId)) {
    const now = afterMembers.get(member.id);
    if (now === undefined) {
      removed.add(member.id);
      if (member.externalId === null || member.externalId.trim() === '') problems.push(`member without externalId removed: ${member.email}`);
      if (member.type === 0) problems.push(`owner removed: ${member.email}`);
      continue;
    }
    if (now.type !== member.type) problems.push(`type of ${member.email} changed ${member.type} → ${now.type}`);
    if (now.status !== member.status) problems.push(`status of ${member.email} changed ${member.status} → ${now.status}`);
    if (now.email !== member.email) problems.push(`email of ${member.email} changed to ${now.email}`);
    if (member.externalId !== null && member.externalId !== '' && now.externalId !== member.externalId) problems.push(`externalId of ${member.email} re-keyed`);
  }
  const afterGroups = new Map(after.groups.filter((g) => g.orgId === orgId).map((g) => [g.id, g]));
  const requested = new Set(requestGroupExternalIds);
  for (const group of before.groups.filter((g) => g.orgId === orgId)) {
    const now = afterGroups.get(group.id);
    if (now === undefined) {
      problems.push(`group deleted: ${group.name}`);
      continue;
    }
    if (group.externalId !== null && requested.has(group.externalId)) continue;
    const expected = group.memberIds.filter((id) => !removed.has(id)).sort();
    if (now.name !== group.name || now.externalId !== group.externalId || JSON.stringify([...now.memberIds].sort()) !== JSON.stringify(expected)) {
      problems.push(`group not in the request changed: ${group.name}`);
    }
  }
  return problems;
}
