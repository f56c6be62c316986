import { describe, expect, it } from '@jest/globals';
import { DirconnError, hasErrorCode } from '../errors.js';
import { user } from '../testing/index.js';
import { dedupeUsers, findDuplicateExternalIds } from './dedupe.js';
import { normalizeUsers, type NormalizedUser } from './normalize.js';
import type { DirectoryUser } from '../model/directory.js';

const norm = (users: DirectoryUser[]): NormalizedUser[] => normalizeUsers(users).users;

function duplicateError(run: () => unknown): DirconnError {
  try {
    run();
  } catch (error) {
    if (hasErrorCode(error, 'sync.duplicate-email')) return error;
    throw error;
  }
  throw new Error('expected sync.duplicate-email');
}

describe('dedupeUsers (reference §7.3, order-independent)', () => {
  it('keeps the first active user with an email', () => {
    const result = dedupeUsers(norm([user({ name: 'a' }), user({ name: 'b' })]));
    expect(result.users.map((u) => u.externalId)).toEqual(['a', 'b']);
  });

  it('collapses a later active user with identical content', () => {
    const result = dedupeUsers(norm([user({ name: 'a' }), user({ name: 'b' }), user({ name: 'a' })]));
    expect(result.users.map((u) => u.externalId)).toEqual(['a', 'b']);
    expect(result.identicalCopies).toBe(1);
  });

  it('fails on a later active user with different content', () => {
    const error = duplicateError(() => dedupeUsers(norm([user({ name: 'a' }), user({ name: 'a2', email: 'a@example.com' })])));
    expect(error.message).toBe('Emails must be unique. Multiple entries pulled with the following emails: a@example.com.');
    expect(error.details).toEqual({ emails: ['a@example.com'] });
  });

  it('counts a disabled twin as a different active user (like the reference)', () => {
    expect(() => dedupeUsers(norm([user({ name: 'a' }), user({ name: 'a', disabled: true })]))).toThrow(DirconnError);
  });

  it('drops a deleted user whose email matches an active user (tombstone), in either order', () => {
    const live = user({ name: 'a' });
    const tombstone = user({ name: 'old-a', email: 'a@example.com', deleted: true });
    for (const order of [
      [live, tombstone],
      [tombstone, live],
    ]) {
      const result = dedupeUsers(norm(order));
      expect(result.users.map((u) => u.externalId)).toEqual(['a']);
      expect(result.droppedTombstones.map((t) => [t.user.externalId, t.liveExternalId])).toEqual([['old-a', 'a']]);
    }
  });

  it('keeps all deleted users sharing an email with no active user', () => {
    const result = dedupeUsers(
      norm([user({ name: 'x1', email: 'x@example.com', deleted: true }), user({ name: 'x2', email: 'x@example.com', deleted: true })]),
    );
    expect(result.users.map((u) => u.externalId)).toEqual(['x1', 'x2']);
  });

  it('names up to three emails then "and N more", sorted, with every email in details', () => {
    const users: DirectoryUser[] = [];
    for (const name of ['e', 'd', 'c', 'b', 'a']) users.push(user({ name }), user({ name: `${name}2`, email: `${name}@example.com` }));
    const error = duplicateError(() => dedupeUsers(norm(users)));
    expect(error.message).toBe(
      'Emails must be unique. Multiple entries pulled with the following emails: a@example.com, b@example.com, c@example.com and 2 more.',
    );
    expect(error.details).toEqual({ emails: ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com'] });
  });

  it('gives the same outcome for every order of the same entries', () => {
    const entries = norm([
      user({ name: 'a' }),
      user({ name: 'a-old', email: 'a@example.com', deleted: true }),
      user({ name: 'b' }),
      user({ name: 'b' }),
      user({ name: 'c1', email: 'c@example.com', deleted: true }),
      user({ name: 'c2', email: 'c@example.com', deleted: true }),
    ]);
    const canonical = (list: NormalizedUser[]): string[] => list.map((u) => u.externalId).sort();
    const expected = canonical(dedupeUsers(entries).users);
    let seed = 7;
    for (let round = 0; round < 25; round++) {
      const shuffled = [...entries];
      for (let i = shuffled.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const j = seed % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(canonical(dedupeUsers(shuffled).users)).toEqual(expected);
    }
    expect(expected).toEqual(['a', 'b', 'c1', 'c2']);
  });
});

describe('findDuplicateExternalIds', () => {
  it('finds exact (case-sensitive) duplicates, sorted', () => {
    expect(findDuplicateExternalIds([{ externalId: 'b' }, { externalId: 'a' }, { externalId: 'b' }, { externalId: 'A' }, { externalId: 'a' }])).toEqual([
      'a',
      'b',
    ]);
    expect(findDuplicateExternalIds([{ externalId: 'x' }, { externalId: 'X' }])).toEqual([]);
  });
});
