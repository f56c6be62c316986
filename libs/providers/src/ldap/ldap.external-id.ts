/**
 * Which attribute carries a user's or group's externalId (`ldap.externalIdAttribute`) and how its
 * value is read (reference §6.1.3). Pure, no I/O.
 */
import { DirconnError } from '@dirconn/core';
import type { ExternalIdAttribute } from './ldap.config.js';
import { guidToString, isGuidText } from './ldap.ad-values.js';
import type { LowerAttributes } from './ldap.attributes.js';
import { firstBinary, firstString } from './ldap.attributes.js';

/** The entry attribute that carries each externalId scheme (null: the DN). */
export function externalIdSourceAttribute(scheme: ExternalIdAttribute): string | null {
  switch (scheme) {
    case 'auto':
    case 'objectGUID':
      return 'objectGUID';
    case 'dn':
      return null;
    default:
      return scheme;
  }
}

/**
 * The externalId of an entry (reference §6.1.3 for `auto`: objectGUID text when present, else the DN
 * as returned by the server). With an explicit attribute, an entry without it fails the read rather
 * than mixing id schemes (which would re-create members).
 */
export function externalIdOf(dn: string, attrs: LowerAttributes, scheme: ExternalIdAttribute): string {
  if (scheme === 'dn') return dn;
  if (scheme === 'auto' || scheme === 'objectGUID') {
    const raw = firstBinary(attrs.get('objectguid'));
    if (raw === null) {
      if (scheme === 'auto') return dn;
      throw missingId(dn, 'objectGUID');
    }
    if (typeof raw === 'string') {
      if (isGuidText(raw)) return raw.trim().replace(/^\{|\}$/g, '').toLowerCase();
      throw new DirconnError('provider.error', `The objectGUID of ${dn} is not a 16-byte GUID.`, {
        hint: 'Set ldap.externalIdAttribute to entryUUID or dn for this server.',
      });
    }
    if (raw.length !== 16) {
      throw new DirconnError('provider.error', `The objectGUID of ${dn} has ${raw.length} bytes instead of 16.`, {
        hint: 'Set ldap.externalIdAttribute to entryUUID or dn for this server.',
      });
    }
    return guidToString(raw);
  }
  const value = firstString(attrs, scheme);
  if (value === null) throw missingId(dn, scheme);
  return value;
}

function missingId(dn: string, attribute: string): DirconnError {
  return new DirconnError('provider.error', `${dn} has no ${attribute} attribute, which ldap.externalIdAttribute requires.`, {
    hint: `Check that the bind user may read ${attribute}, or set ldap.externalIdAttribute to auto or dn.`,
  });
}
