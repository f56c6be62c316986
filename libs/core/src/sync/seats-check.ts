/**
 * The seat pre-check (issue #13 item 8, users-voice §1.1): before a sync invites people, compare the
 * invitations with the organization's Password Manager seats. The server's own check (bitwarden-api.md
 * §4, "Seat check") either buys seats on its own (cloud autoscale, billed to the organization) or
 * refuses the import after the removals already happened; the reference reported success and cached
 * it. dirconn stops first and says which, unless the admin allows the overflow for one run.
 */
import type { OrgMember, OrgSubscription } from '../model/organization.js';
import { allowOnce } from './overrides.js';
import type { PlannedChange, SafetyCheck } from './plan.types.js';

/** Statuses that occupy a seat: Invited, Accepted, Confirmed (Revoked and Staged do not). */
const SEAT_STATUSES: ReadonlySet<number> = new Set([0, 1, 2]);

/** The seat arithmetic of one plan. */
export interface SeatCount {
  seats: number;
  /** Members occupying a seat after this import's removals, before its invitations. */
  occupied: number;
  invites: number;
  /** Seats missing: invites − (seats − occupied); 0 or less = enough. */
  needed: number;
  maxAutoscaleSeats: number | null;
}

/** Counts the seats this plan needs (null: unlimited seats). */
export function countSeats(members: readonly OrgMember[], changes: readonly PlannedChange[], subscription: OrgSubscription): SeatCount | null {
  if (subscription.seats === null) return null;
  // Removals go first on the server (steps 2-3), by externalId; they free the seats they held.
  const removed = new Set<string>();
  let invites = 0;
  for (const change of changes) {
    if (change.kind === 'invite') invites += 1;
    else if (change.kind === 'remove') removed.add(change.externalId);
  }
  let occupied = 0;
  for (const member of members) {
    if (SEAT_STATUSES.has(member.status) && !(member.externalId !== null && removed.has(member.externalId))) occupied += 1;
  }
  return { seats: subscription.seats, occupied, invites, needed: invites - (subscription.seats - occupied), maxAutoscaleSeats: subscription.maxAutoscaleSeats };
}

/**
 * The `seats` safety check. `subscription` undefined: not read (no invitations, or no live
 * organization); null: the server does not report seats (self-hosted, Vaultwarden).
 */
export function seatsCheck(count: SeatCount | null, subscription: OrgSubscription | null | undefined, allowed: boolean): SafetyCheck {
  if (subscription === undefined) return { rule: 'seats', passed: true, message: 'Not applicable: no invitations, or the organization was not read.' };
  if (subscription === null) return { rule: 'seats', passed: true, message: 'Not checked: the server does not report its seats (self-hosted or Vaultwarden).' };
  if (count === null) return { rule: 'seats', passed: true, message: 'The organization has unlimited seats.' };
  const base = `This sync invites ${count.invites} people; the organization has ${count.seats} seats, ${count.occupied} occupied after this sync's removals`;
  if (count.needed <= 0) return { rule: 'seats', passed: true, message: `${base}: enough seats (${-count.needed} left).` };
  const refused = count.maxAutoscaleSeats !== null && count.seats + count.needed > count.maxAutoscaleSeats;
  const consequence = refused
    ? `${count.needed} more seats are needed, past the autoscale limit of ${count.maxAutoscaleSeats}: Bitwarden will refuse the invitations ("Seat limit has been reached"). Add seats or raise the limit in the Admin Console (Billing → Subscription).`
    : `${count.needed} more seats are needed: Bitwarden cloud will buy them automatically (autoscale, billed to the organization${count.maxAutoscaleSeats === null ? ', no limit set' : `, up to ${count.maxAutoscaleSeats}`}). Add seats or set a limit first if that is not wanted.`;
  if (allowed) return { rule: 'seats', passed: true, message: `${base}. ${consequence} Allowed by --allow-seat-overflow.` };
  return { rule: 'seats', passed: false, message: `${base}. ${consequence}`, ...allowOnce({ option: 'allowSeatOverflow' }) };
}
