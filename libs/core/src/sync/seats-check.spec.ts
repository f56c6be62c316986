import { describe, expect, it } from '@jest/globals';
import { orgMember } from '../testing/builders.js';
import type { PlannedChange } from './plan.types.js';
import { countSeats, seatsCheck } from './seats-check.js';

const invite = (name: string): PlannedChange => ({ kind: 'invite', externalId: name, email: `${name}@example.com`, reason: 'new' });
const remove = (name: string): PlannedChange => ({ kind: 'remove', externalId: name, email: `${name}@example.com`, reason: 'deleted' });

/** 8 members: 5 confirmed, 1 invited, 1 revoked, 1 staged (6 occupy a seat). */
const members = [
  ...['a', 'b', 'c', 'd', 'e'].map((name) => orgMember({ name })),
  orgMember({ name: 'invited', status: 0 }),
  orgMember({ name: 'revoked', status: -1 }),
  orgMember({ name: 'staged', status: 3 }),
];

describe('countSeats', () => {
  it('counts Invited, Accepted and Confirmed members, minus those this import removes, against the invitations', () => {
    const count = countSeats(members, [invite('x'), invite('y'), invite('z'), remove('a'), remove('revoked')], { seats: 7, maxAutoscaleSeats: null });
    // occupied 6 - 1 (a; revoked held no seat) = 5; needed = 3 - (7 - 5) = 1
    expect(count).toEqual({ seats: 7, occupied: 5, invites: 3, needed: 1, maxAutoscaleSeats: null });
  });
  it('is null for unlimited seats', () => {
    expect(countSeats(members, [invite('x')], { seats: null, maxAutoscaleSeats: null })).toBeNull();
  });
});

describe('seatsCheck', () => {
  const count = (seats: number, max: number | null, invites = 3) => countSeats(members, Array.from({ length: invites }, (_, i) => invite(`n${i}`)), { seats, maxAutoscaleSeats: max });

  it('passes with enough seats, and says how many are left', () => {
    const check = seatsCheck(count(10, null), { seats: 10, maxAutoscaleSeats: null }, false);
    expect(check).toMatchObject({ rule: 'seats', passed: true });
    expect(check.message).toContain('enough seats (1 left)');
  });
  it('stops when cloud would autoscale (billed), with --allow-seat-overflow as the way through', () => {
    const check = seatsCheck(count(8, null), { seats: 8, maxAutoscaleSeats: null }, false);
    expect(check).toMatchObject({ rule: 'seats', passed: false, allow: { option: 'allowSeatOverflow' }, override: '--allow-seat-overflow' });
    expect(check.message).toContain('1 more seats are needed: Bitwarden cloud will buy them automatically');
  });
  it('stops and says the server will refuse when the autoscale limit is too low', () => {
    const check = seatsCheck(count(8, 8), { seats: 8, maxAutoscaleSeats: 8 }, false);
    expect(check.passed).toBe(false);
    expect(check.message).toContain('past the autoscale limit of 8: Bitwarden will refuse the invitations');
  });
  it('passes once allowed, keeping the explanation', () => {
    const check = seatsCheck(count(8, null), { seats: 8, maxAutoscaleSeats: null }, true);
    expect(check.passed).toBe(true);
    expect(check.message).toContain('Allowed by --allow-seat-overflow');
  });
  it('does not apply without invitations or seats to read', () => {
    expect(seatsCheck(null, undefined, false)).toMatchObject({ passed: true, message: expect.stringContaining('Not applicable') });
    expect(seatsCheck(null, null, false)).toMatchObject({ passed: true, message: expect.stringContaining('self-hosted') });
    expect(seatsCheck(null, { seats: null, maxAutoscaleSeats: null }, false)).toMatchObject({ passed: true, message: 'The organization has unlimited seats.' });
  });
});
