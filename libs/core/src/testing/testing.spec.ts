import { describe, expect, it } from '@jest/globals';
import { hasErrorCode } from '../errors.js';
import { directoryA, directoryB, FakeClock, FakeProvider, group, groupReference, MemorySecretStore, orgMember, planInput, snapshot, user } from './index.js';

describe('@dirconn/core/testing', () => {
  it('FakeClock is settable, and sleep records, advances and resolves at once', async () => {
    const clock = new FakeClock('2026-05-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-05-01T00:00:00.000Z');
    await clock.sleep(1500);
    await clock.sleep(500);
    expect(clock.sleeps).toEqual([1500, 500]);
    expect(clock.now().toISOString()).toBe('2026-05-01T00:00:02.000Z');
    clock.set('2030-01-01T00:00:00.000Z');
    expect(clock.now().getUTCFullYear()).toBe(2030);
    const controller = new AbortController();
    controller.abort();
    const error = await clock.sleep(10, controller.signal).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'cancelled')).toBe(true);
  });

  it('FakeProvider returns copies of its snapshot, records reads, and throws a given error', async () => {
    const provider = new FakeProvider(snapshot({ users: [user({ name: 'a' })] }));
    const first = await provider.read({ force: true, users: true, groups: false });
    first.users!.length = 0;
    const second = await provider.read({ force: false, users: true, groups: true, since: 'x' });
    expect(second.users).toHaveLength(1);
    expect(provider.reads.map((r) => r.force)).toEqual([true, false]);
    provider.setResult(new Error('down'));
    await expect(provider.read({ force: false, users: true, groups: true })).rejects.toThrow('down');
  });

  it('MemorySecretStore stores, reads and deletes', async () => {
    const store = new MemorySecretStore({ a: '1' });
    await store.set('b', '2');
    expect(await store.get('a')).toBe('1');
    await store.delete('a');
    expect(await store.get('a')).toBeNull();
    expect(store.accounts()).toEqual(['b']);
  });

  it('builders derive defaults from the name and let fields win', () => {
    expect(user({ name: 'alice' })).toEqual({
      externalId: 'alice',
      referenceId: 'uid=alice,ou=people,dc=example,dc=com',
      email: 'alice@example.com',
      disabled: false,
      deleted: false,
      displayName: 'alice',
      uid: 'alice',
    });
    expect(user({ name: 'bob', email: null }).email).toBeNull();
    expect(group({ name: 'A', users: ['alice'], children: ['B'] })).toEqual({
      externalId: 'A',
      referenceId: groupReference('A'),
      name: 'A',
      userMemberExternalIds: ['alice'],
      groupMemberReferenceIds: [groupReference('B')],
    });
    expect(orgMember({ name: 'x', type: 0 })).toMatchObject({ id: 'member-x', email: 'x@example.com', externalId: 'x', type: 0 });
    expect(planInput().sync).toMatchObject({ users: true, groups: true });
  });

  it('fixtures have the reference shapes', () => {
    const a = directoryA();
    expect(a.users).toHaveLength(20);
    expect(a.groups!.map((g) => g.userMemberExternalIds.length)).toEqual([3, 2, 0, 3, 2]);
    const b = directoryB();
    expect(b.users).toHaveLength(8);
    expect(b.groups).toHaveLength(10);
  });
});
