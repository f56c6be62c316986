/**
 * Other servers and naming contexts: continuation references followed one hop or reported
 * (`ldap.followReferrals`), referral URLs parsed without downgrading the transport, and a missing
 * search base outside every naming context of the server explained as another domain.
 */
import { DirconnError } from '@dirconn/core';
import type { ReadWarning } from '@dirconn/core';
import type { LdapEntry } from './ldap.attributes.js';
import { lowerAttributes, stringValues } from './ldap.attributes.js';
import { isUnder } from './ldap.dn.js';
import type { LdapEndpoint, LdapSession, LdapStats, SearchSpec } from './ldap.session.js';
import { endpointText } from './ldap.session.js';

/** Opens another session of the same read (same credentials, TLS settings and counters). */
export type OpenSession = (stats: LdapStats, signal?: AbortSignal, endpoint?: LdapEndpoint) => Promise<LdapSession>;

/** How continuation references are handled. */
export interface ReferralPolicy {
  /** ldap.followReferrals: follow them one hop (true) or report them as a warning (false). */
  followReferrals: boolean;
  /** Opens the session to a referred server. */
  open: OpenSession;
  /**
   * Filled by the searches: each reference not followed (followReferrals off, or a second hop),
   * so the read reports itself incomplete (`DirectorySnapshot.skipped`, issue #9 item 6).
   */
  skipped: string[];
}

/** Parses a referral/continuation URL (`ldap://host:port/dn`) into an endpoint and base DN. */
export function parseLdapUrl(url: string, current: LdapEndpoint): { endpoint: LdapEndpoint; dn: string | undefined } | undefined {
  const m = /^(ldaps?):\/\/([^/:?]*|\[[^\]]+\])(?::(\d+))?(?:\/([^?]*))?/i.exec(url.trim());
  if (!m) return undefined;
  const scheme = (m[1] ?? 'ldap').toLowerCase();
  const host = (m[2] ?? '').replace(/^\[|\]$/g, '') || current.host;
  const port = m[3] ? Number(m[3]) : scheme === 'ldaps' ? 636 : 389;
  // Never downgrade: a plain referral from an encrypted session is followed with StartTLS.
  const transport = scheme === 'ldaps' ? 'ldaps' : current.transport === 'plain' ? 'plain' : 'starttls';
  const dn = m[4] ? decodeURIComponent(m[4]) : undefined;
  return { endpoint: { host, port, transport }, dn: dn === '' ? undefined : dn };
}

/** Runs a search; continuation references are followed (followReferrals) or reported. */
export async function searchFollowing(session: LdapSession, spec: SearchSpec, onPage: (entries: LdapEntry[]) => void, warnings: ReadWarning[], referrals: ReferralPolicy): Promise<void> {
  const references = await session.search(spec, onPage);
  if (references.length === 0) return;
  const relevant = references.filter((url) => !/^ldaps?:\/\/[^/]*\/(dc=domaindnszones|dc=forestdnszones|cn=configuration)\b/i.test(url));
  if (relevant.length === 0) return;
  if (!referrals.followReferrals) {
    for (const url of relevant) referrals.skipped.push(`${url} (referred by the search of ${spec.base.dn}; ldap.followReferrals is off)`);
    warnings.push({
      code: 'ldap.references-not-followed',
      message: `The search of ${spec.base.dn} referred to other servers (${relevant.slice(0, 3).join(', ')}${relevant.length > 3 ? ` and ${relevant.length - 3} more` : ''}); entries there were not read. Set ldap.followReferrals true, or use a global catalog.`,
    });
    return;
  }
  const seen = new Set<string>();
  for (const url of relevant) {
    const target = parseLdapUrl(url, session.endpoint);
    if (target === undefined || seen.has(url)) continue;
    seen.add(url);
    const referred = await referrals.open(session.stats, session.signal, target.endpoint);
    try {
      // One hop only: references returned by the referred server are reported, not chased.
      const nested = await referred.search({ ...spec, base: { dn: target.dn ?? spec.base.dn, key: spec.base.key } }, onPage);
      if (nested.length > 0) {
        for (const further of nested) referrals.skipped.push(`${further} (a second referral hop, from ${url})`);
        warnings.push({ code: 'ldap.references-not-followed', message: `${url} referred further (${nested.slice(0, 3).join(', ')}); only one referral hop is followed.` });
      }
    } finally {
      await referred.close();
    }
  }
}

/** The rootDSE namingContexts ([] when unreadable). */
export async function namingContexts(session: LdapSession): Promise<string[]> {
  try {
    const root = (await session.searchAll({ base: { dn: '', key: 'ldap.hostname' }, scope: 'base', filter: '(objectClass=*)', attributes: ['namingContexts'] })).entries[0];
    return root ? stringValues(lowerAttributes(root).get('namingcontexts')) : [];
  } catch {
    return [];
  }
}

/**
 * A search base the server says does not exist (noSuchObject) may belong to another domain: AD
 * answers with a referral, Samba with noSuchObject. When the base lies outside every naming
 * context of this DC, say so (provider.referral) instead of "does not exist".
 */
export async function explainForeignBase(session: LdapSession, error: unknown): Promise<unknown> {
  if (!DirconnError.is(error) || error.code !== 'config.invalid') return error;
  const details = error.details as { base?: unknown; key?: unknown } | undefined;
  const dn = typeof details?.base === 'string' ? details.base : null;
  if (dn === null) return error;
  const contexts = await namingContexts(session);
  if (contexts.length === 0 || contexts.some((nc) => isUnder(dn, nc))) return error;
  const key = typeof details?.key === 'string' ? details.key : 'ldap.rootPath';
  return new DirconnError(
    'provider.referral',
    `${dn} (${key}) is not in any naming context of the LDAP server ${endpointText(session.endpoint)}, which holds ${contexts.join(', ')}: it belongs to another domain or forest, so nothing was read.`,
    {
      hint: 'Point ldap.hostname at a domain controller of that domain (or a global catalog, port 3269 with ldap.ssl, for a forest-wide read), or correct ldap.rootPath to this domain.',
      cause: error,
    },
  );
}
