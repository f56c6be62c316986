/**
 * Active Directory update sequence numbers: where the DC stands (its identity and highest committed
 * USN, read from the rootDSE and its NTDS Settings object) at the start of a read, so the next delta
 * read on the same DC can ask for uSNChanged above it.
 */
import { DirconnError } from '@dirconn/core';
import type { Logger } from '@dirconn/core';
import { firstString, lowerAttributes } from './ldap.attributes.js';
import type { AdUsnMark } from './ldap.cursor.js';
import type { LdapSession } from './ldap.session.js';

const INVOCATION_ID_BINARY = ['invocationId', 'invocationID', 'invocationid'];

/**
 * AD: the DC's identity (dsServiceName, invocationId) and highestCommittedUSN from the rootDSE.
 * Null when the server does not publish them (then deltas use the time filter).
 */
export async function readUsnMark(session: LdapSession, logger: Logger): Promise<AdUsnMark | null> {
  try {
    const root = (await session.searchAll({ base: { dn: '', key: 'ldap.hostname' }, scope: 'base', filter: '(objectClass=*)', attributes: ['dsServiceName', 'highestCommittedUSN'] })).entries[0];
    if (!root) return null;
    const attrs = lowerAttributes(root);
    const server = firstString(attrs, 'dsServiceName');
    const highest = firstString(attrs, 'highestCommittedUSN');
    if (server === null || highest === null || !/^\d{1,20}$/.test(highest)) return null;
    const ntds = (await session.searchAll({ base: { dn: server, key: 'ldap.hostname' }, scope: 'base', filter: '(objectClass=*)', attributes: ['invocationId'], binaryAttributes: INVOCATION_ID_BINARY })).entries[0];
    const value = ntds ? lowerAttributes(ntds).get('invocationid') : undefined;
    const bytes = Array.isArray(value) ? value[0] : value;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) return null;
    return { server, invocationId: bytes.toString('hex'), highest };
  } catch (error) {
    if (DirconnError.is(error) && (error.code === 'config.invalid' || error.code === 'provider.rights' || error.code === 'provider.error' || error.code === 'provider.referral')) {
      logger.debug('ldap: no USN mark from the rootDSE; deltas use the time filter', { error: error.message });
      return null;
    }
    throw error;
  }
}
