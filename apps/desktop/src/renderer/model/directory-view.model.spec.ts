import { describe, expect, it } from '@jest/globals';
import type { PlanGroup, PlanUser } from '@dirconn/core';
import { countsAddUp, countUsers, nextSort, userStatus, viewGroups, viewUsers } from './directory-view.model.js';

const user = (email: string, patch: Partial<PlanUser> = {}): PlanUser => ({ externalId: `id-${email}`, email, displayName: email.split('@')[0] ?? '', disabled: false, deleted: false, ...patch });
const users = [user('carol@example.com'), user('alice@example.com', { disabled: true }), user('bob@example.com', { deleted: true, disabled: true }), user('dave@example.com')];
const groups: PlanGroup[] = [
  { externalId: 'g1', name: 'Engineering', userExternalIds: ['id-alice@example.com', 'id-carol@example.com', 'unknown-member'] },
  { externalId: 'g2', name: 'admins', userExternalIds: ['id-dave@example.com'] },
];

describe('directory view model', () => {
  it('deleted wins over disabled', () => {
    expect(users.map(userStatus)).toEqual(['enabled', 'disabled', 'deleted', 'enabled']);
  });

  it('counts add up from the list itself', () => {
    const counts = countUsers(users);
    expect(counts).toEqual({ users: 4, enabled: 2, disabled: 1, deleted: 1 });
    expect(countsAddUp(counts)).toBe(true);
    expect(countsAddUp({ ...counts, users: 5 })).toBe(false);
  });

  it('filters by search and status and sorts both ways', () => {
    const asc = viewUsers(users, { search: '', status: 'all', sort: { key: 'email', direction: 'ascending' } });
    expect(asc.map((u) => u.email)).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com']);
    const enabledDesc = viewUsers(users, { search: '', status: 'enabled', sort: { key: 'email', direction: 'descending' } });
    expect(enabledDesc.map((u) => u.email)).toEqual(['dave@example.com', 'carol@example.com']);
    expect(viewUsers(users, { search: 'BO', status: 'all', sort: { key: 'status', direction: 'ascending' } }).map((u) => u.email)).toEqual(['bob@example.com']);
  });

  it('shows groups with flattened members by email and unknown ids raw', () => {
    const rows = viewGroups(groups, users, '', { key: 'name', direction: 'ascending' });
    expect(rows.map((r) => r.name)).toEqual(['admins', 'Engineering']);
    expect(rows[1]?.members).toEqual(['alice@example.com', 'carol@example.com', 'unknown-member']);
    expect(viewGroups(groups, users, 'dave', { key: 'members', direction: 'descending' }).map((r) => r.name)).toEqual(['admins']);
    expect(viewGroups(groups, users, '', { key: 'members', direction: 'descending' }).map((r) => r.name)).toEqual(['Engineering', 'admins']);
  });

  it('flips the sort on the same column and starts ascending on a new one', () => {
    expect(nextSort({ key: 'email', direction: 'ascending' }, 'email')).toEqual({ key: 'email', direction: 'descending' });
    expect(nextSort({ key: 'email', direction: 'descending' }, 'status')).toEqual({ key: 'status', direction: 'ascending' });
  });
});
