import { afterEach, describe, expect, it } from '@jest/globals';
import { startFakeBitwarden } from './fake-bitwarden-server.js';
import type { FakeBitwarden, FakeBitwardenOptions } from './fake-bitwarden-server.js';
import { accessToken, getJson, importBody, postImport } from './test-helpers.js';

let fake: FakeBitwarden | undefined;
let token = '';
async function start(options: FakeBitwardenOptions = {}): Promise<FakeBitwarden> {
  fake = await startFakeBitwarden({ now: new Date('2026-09-01T10:00:00Z'), ...options });
  token = await accessToken(fake);
  return fake;
}
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('read endpoints (bitwarden mode)', () => {
  it('lists every member in every status, without paging', async () => {
    const bw = await start();
    const custom = bw.addMember({ email: 'custom@example.com', type: 4, permissions: { manageGroups: true }, externalId: 'c', name: 'Custom' });
    bw.addMember({ email: 'revoked@example.com', status: -1 });
    bw.addMember({ email: 'staged@example.com', status: 3 });
    const response = await getJson(bw, '/api/public/members', token);
    expect(response.status).toBe(200);
    const list = response.json as { object: string; data: Record<string, unknown>[]; continuationToken: null };
    expect(list.object).toBe('list');
    expect(list.data.map((m) => m['status'])).toEqual([2, 2, -1, 3]);
    expect(list.data[1]).toEqual({
      object: 'member',
      id: custom.id,
      userId: custom.userId,
      name: 'Custom',
      email: 'custom@example.com',
      twoFactorEnabled: false,
      status: 2,
      collections: null,
      resetPasswordEnrolled: false,
      ssoExternalId: null,
      type: 4,
      externalId: 'c',
      permissions: { manageGroups: true },
    });
  });

  it('reads one member with collections, and its group ids', async () => {
    const bw = await start();
    const ann = bw.addMember({ email: 'ann@example.com', collections: [{ id: 'c1', readOnly: true, hidePasswords: false, manage: false }] });
    const g = bw.addGroup({ name: 'G', memberIds: [ann.id] });
    bw.addGroup({ name: 'H' });
    expect((await getJson(bw, `/api/public/members/${ann.id}`, token)).json).toMatchObject({ id: ann.id, collections: [{ id: 'c1', readOnly: true }], permissions: null });
    expect((await getJson(bw, `/api/public/members/${ann.id.toUpperCase()}/group-ids`, token)).json).toEqual([g.id]);
  });

  it('lists groups and reads one group and its member ids', async () => {
    const bw = await start();
    const ann = bw.addMember({ email: 'ann@example.com' });
    const g = bw.addGroup({ name: 'G', externalId: 'g', memberIds: [ann.id] });
    expect((await getJson(bw, '/api/public/groups', token)).json).toEqual({ object: 'list', data: [{ object: 'group', id: g.id, name: 'G', externalId: 'g', collections: [] }], continuationToken: null });
    expect((await getJson(bw, `/public/groups/${g.id}`, token)).json).toMatchObject({ object: 'group', id: g.id });
    expect((await getJson(bw, `/public/groups/${g.id}/member-ids`, token)).json).toEqual([ann.id]);
  });

  it('400 keyed id for a non-GUID, 404 with an empty body for an unknown GUID', async () => {
    const bw = await start();
    const bad = await getJson(bw, '/api/public/groups/not-a-guid/member-ids', token);
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ object: 'error', message: "The request's model state is invalid.", errors: { id: ["The value 'not-a-guid' is not valid."] } });
    for (const path of ['/api/public/members/00000000-0000-4000-8000-000000000000', '/api/public/groups/00000000-0000-4000-8000-000000000000/member-ids']) {
      const response = await getJson(bw, path, token);
      expect(response.status).toBe(404);
      expect(response.text).toBe('');
    }
  });

  it('lists import events newest first within the date range', async () => {
    const bw = await start();
    await postImport(bw, token, importBody({ members: [{ email: 'a@example.com', externalId: 'a', deleted: false }], groups: [{ name: 'G', externalId: 'g', memberExternalIds: ['a'] }] }));
    bw.clock.advance(60_000);
    await postImport(bw, token, importBody({ groups: [{ name: 'G', externalId: 'g', memberExternalIds: [] }] }));
    const response = await getJson(bw, '/api/public/events', token);
    const events = (response.json as { data: { type: number; date: string; memberId: string | null; groupId: string | null }[]; continuationToken: string | null }).data;
    expect(events.map((e) => e.type)).toEqual([1401, 1400, 1500]);
    expect(events[0]?.date).toBe('2026-09-01T10:01:00.000Z');
    const range = await getJson(bw, '/api/public/events?start=2026-09-01T10:00:30Z&end=2026-09-01T11:00:00Z', token);
    expect((range.json as { data: unknown[] }).data).toHaveLength(1);
    const tooLong = await getJson(bw, '/api/public/events?start=2025-01-01T00:00:00Z&end=2026-09-01T00:00:00Z', token);
    expect(tooLong.json).toEqual({ object: 'error', message: 'Date range must be < 367 days.', errors: null });
  });

  it('pages events with a continuation token', async () => {
    const bw = await start();
    for (let i = 0; i < 150; i++) bw.state.logEvent(bw.organization.id, 1500, { memberId: `m${i}` });
    const first = (await getJson(bw, '/api/public/events', token)).json as { data: unknown[]; continuationToken: string };
    expect(first.data).toHaveLength(100);
    const second = (await getJson(bw, `/api/public/events?continuationToken=${first.continuationToken}`, token)).json as { data: unknown[]; continuationToken: string | null };
    expect(second.data).toHaveLength(50);
    expect(second.continuationToken).toBeNull();
  });

  it('events need useEvents', async () => {
    const bw = await start({ organization: { useEvents: false } });
    expect((await getJson(bw, '/api/public/events', token)).status).toBe(404);
  });

  it('subscription on cloud; 400 when self-hosted', async () => {
    const cloud = await start({ organization: { seats: 10, maxAutoscaleSeats: 20 } });
    expect((await getJson(cloud, '/api/public/organization/subscription', token)).json).toMatchObject({ passwordManager: { seats: 10, maxAutoScaleSeats: 20 } });
    await cloud.close();
    const selfHosted = await start({ selfHosted: true });
    const response = await getJson(selfHosted, '/api/public/organization/subscription', token);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ object: 'error', message: 'Only allowed when not self hosted.', errors: null });
  });

  it('unknown paths answer 404 with an empty body', async () => {
    const bw = await start();
    for (const path of ['/api/public/nothing', '/api/public/members/x/y/z', '/identity/public/members', '/']) {
      const response = await getJson(bw, path, token);
      expect(response.status).toBe(404);
      expect(response.text).toBe('');
    }
  });
});
