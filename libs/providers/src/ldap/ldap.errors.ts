/**
 * Turns what ldapts and Node throw into DirconnErrors with stable codes and actionable messages
 * (STYLE.md §5). Messages name the server, the bind user, the base DN and the config key to change;
 * they never contain the password (it is never passed here).
 */
import { DirconnError } from '@dirconn/core';
import { ResultCodeError } from 'ldapts';

/** What was being done when an error happened. */
export interface LdapErrorContext {
  /** `host:port` of the server. */
  endpoint: string;
  /** `ldaps`, `starttls` or `plain`. */
  transport: 'plain' | 'ldaps' | 'starttls';
  /** The bind name (not secret). */
  username: string;
  phase: 'connect' | 'starttls' | 'bind' | 'search';
  /** For searches: the base DN and the config key that sets it (`ldap.rootPath`, `sync.userPath`…). */
  base?: { dn: string; key: string };
  /** The signal of the read, to tell a cancellation from a failure. */
  signal?: AbortSignal | undefined;
}

/** AD's bind failure sub-codes (`data 52e` in the diagnostic message) and what they mean. */
export const AD_BIND_DATA_CODES: Readonly<Record<string, { message: string; hint: string }>> = {
  '525': { message: 'the user does not exist', hint: 'Check ldap.username (a DN, DOMAIN\\user or user@domain).' },
  '52e': { message: 'the password is wrong', hint: 'Set the correct bind password with "dirconn config ldap.password" (prompt, --secretenv or --secretfile).' },
  '530': { message: 'the account may not log on at this time', hint: 'Check the logon hours of the bind account in Active Directory.' },
  '531': { message: 'the account may not log on from this computer', hint: 'Check "Log On To" workstation restrictions of the bind account.' },
  '532': { message: 'the password has expired', hint: 'Set a new password for the bind account (consider "password never expires" for a service account) and update ldap.password.' },
  '533': { message: 'the account is disabled', hint: 'Enable the bind account in Active Directory or use another one.' },
  '568': { message: 'the account has too many security identifiers (group memberships)', hint: 'Use a bind account with fewer group memberships.' },
  '701': { message: 'the account has expired', hint: 'Extend the account expiry date of the bind account in Active Directory.' },
  '773': { message: 'the password must be changed before first logon', hint: 'Log on once with the bind account to change its password (or clear "User must change password at next logon"), then update ldap.password.' },
  '775': { message: 'the account is locked out', hint: 'Unlock the bind account (too many failed logons; check for other services using an old password) and retry.' },
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EADDRNOTAVAIL']);

function nodeCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') return (error as { code: string }).code;
  return undefined;
}

/** The message of anything thrown (duck-typed: Node's errors may come from another realm). */
function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}

function isTlsError(error: unknown): boolean {
  const code = nodeCode(error);
  if (code !== undefined && /^(ERR_SSL_|ERR_TLS_)|CERT|SELF_SIGNED|UNABLE_TO_|SIGNATURE|ISSUER|HOSTNAME_MISMATCH/.test(code)) return true;
  const message = messageOf(error);
  return /certificate|self[- ]signed|SSL routines|tlsv1 alert|wrong version number|Client network socket disconnected before secure TLS connection/i.test(message);
}

/** The `data xxx` code of an AD bind error (`… AcceptSecurityContext error, data 52e, v4563`). */
export function adDataCode(diagnostic: string): string | undefined {
  return /\bdata ([0-9a-f]{3,4})\b/i.exec(diagnostic)?.[1]?.toLowerCase();
}

/** The referred URL in an AD referral message (`ref 1: 'corp.example.com'`) or any ldap URL in it. */
export function referralTarget(diagnostic: string): string | undefined {
  return /ref \d+:\s*'([^']+)'/i.exec(diagnostic)?.[1] ?? /(ldaps?:\/\/\S+)/i.exec(diagnostic)?.[1];
}

/** Strips ldapts's " Code: 0x31" suffix from a server diagnostic. */
function diagnosticOf(error: ResultCodeError): string {
  return error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim();
}

/** Maps an error from a connect, bind or search to a DirconnError (passes DirconnErrors through). */
export function translateLdapError(error: unknown, ctx: LdapErrorContext): DirconnError {
  if (DirconnError.is(error)) return error;
  if (ctx.signal?.aborted) return new DirconnError('cancelled', 'The directory read was cancelled.', { cause: error });
  const where = `the LDAP server ${ctx.endpoint}`;
  const encryptHint = 'Enable an encrypted connection: "dirconn config ldap.ssl true" (LDAPS, usually port 636) or "dirconn config ldap.startTls true".';

  if (error instanceof ResultCodeError) {
    const resultCode = error.code;
    const diagnostic = diagnosticOf(error);
    const said = diagnostic === '' ? '' : ` (server said: ${diagnostic})`;
    const baseText = ctx.base ? `${ctx.base.dn} (${ctx.base.key})` : 'the search base';
    switch (resultCode) {
      case 49: {
        const data = adDataCode(diagnostic);
        const known = data === undefined ? undefined : AD_BIND_DATA_CODES[data];
        if (known) {
          return new DirconnError('auth.directory', `${where} rejected the bind as "${ctx.username}": ${known.message} (AD data ${data}).`, { hint: known.hint, cause: error });
        }
        return new DirconnError('auth.directory', `${where} rejected the bind as "${ctx.username}": invalid credentials${said}.`, {
          hint: 'Check ldap.username (a DN, DOMAIN\\user or user@domain) and the bind password ("dirconn config ldap.password").',
          cause: error,
        });
      }
      case 8:
        return new DirconnError('auth.directory', `${where} refused a simple bind over an unencrypted connection (strong authentication required)${said}.`, { hint: encryptHint, cause: error });
      case 13:
        return new DirconnError('auth.directory', `${where} requires an encrypted connection (confidentiality required)${said}.`, { hint: encryptHint, cause: error });
      case 48:
      case 7:
        return new DirconnError('auth.directory', `${where} does not accept a simple bind as "${ctx.username}"${said}.`, {
          hint: 'Anonymous and empty-password binds are not supported; check ldap.username and the password.',
          cause: error,
        });
      case 10: {
        const target = referralTarget(diagnostic);
        return new DirconnError('provider.referral', `${where} answered with a referral${target ? ` to ${target}` : ''} instead of reading ${baseText}${said}.`, {
          hint: 'The base DN probably belongs to another domain or server: point ldap.hostname at a domain controller of that domain, use a global catalog (port 3268/3269) for the whole forest, or set ldap.followReferrals true.',
          cause: error,
        });
      }
      case 50:
        return new DirconnError('provider.rights', `The bind user "${ctx.username}" may not read ${baseText} on ${ctx.endpoint}${said}.`, {
          hint: 'Grant the bind account read access to the users and groups (and their attributes) under the search bases.',
          cause: error,
        });
      case 1:
        if (ctx.phase !== 'search') break;
        // Samba answers a search that ran into its time limit with operationsError ("ldb_wait …
        // Operations error") instead of timeLimitExceeded when attributes are requested.
        return new DirconnError('provider.incomplete-read', `${where} failed the search of ${baseText} with an operations error, so the read is incomplete and nothing was synced${said}.`, {
          hint: 'Samba reports a search that hit ldap.searchTimeLimit this way: raise ldap.searchTimeLimit (seconds; 0 = no limit) or narrow sync.userFilter / sync.userPath; otherwise check the directory server logs.',
          cause: error,
        });
      case 3:
        return new DirconnError('provider.incomplete-read', `${where} stopped the search of ${baseText} at its time limit, so the read is incomplete and nothing was synced${said}.`, {
          hint: 'Raise ldap.searchTimeLimit (seconds; 0 = no limit) or the server\'s limit, or narrow the search with sync.userPath / sync.userFilter.',
          cause: error,
        });
      case 4:
        return new DirconnError('provider.incomplete-read', `${where} stopped the search of ${baseText} at its size limit, so the read is incomplete and nothing was synced${said}.`, {
          hint: 'Turn on paged search ("dirconn config ldap.pagedSearch true") or raise the server\'s size limit for the bind user (OpenLDAP: limits/sizelimit; AD: MaxPageSize).',
          cause: error,
        });
      case 11:
        return new DirconnError('provider.incomplete-read', `${where} stopped the search of ${baseText} at an administrative limit, so the read is incomplete and nothing was synced${said}.`, {
          hint: 'Lower ldap.pageSize, turn on ldap.pagedSearch, or raise the server\'s limits for the bind user.',
          cause: error,
        });
      case 32:
        if (ctx.base) {
          return new DirconnError('config.invalid', `${ctx.base.key} points to ${ctx.base.dn}, which does not exist on ${ctx.endpoint}${said}.`, {
            hint: `Correct ${ctx.base.key} (search bases are <sync path>,<dc part of ldap.rootPath>); "dirconn test" lists the bases it uses.`,
            cause: error,
            details: { base: ctx.base.dn, key: ctx.base.key },
          });
        }
        break;
      case 34:
        if (ctx.base) {
          return new DirconnError('config.invalid', `${ctx.base.key} gives the invalid DN "${ctx.base.dn}"${said}.`, {
            hint: `Correct ${ctx.base.key}, e.g. ou=People or dc=example,dc=com.`,
            cause: error,
          });
        }
        break;
      case 12:
        return new DirconnError('provider.error', `${where} does not support a control the search needs${said}.`, {
          hint: 'If this is not Active Directory, set ldap.ad false; if the server cannot page, set ldap.pagedSearch false.',
          cause: error,
        });
      case 51:
        return new DirconnError('provider.throttled', `${where} is busy${said}.`, { hint: 'Retry later.', cause: error });
      case 52:
        return new DirconnError('provider.unreachable', `${where} is unavailable${said}.`, { hint: 'Retry later or point ldap.hostname at another server.', cause: error });
      case 53:
        return new DirconnError('provider.error', `${where} is unwilling to perform the request${said}.`, {
          hint: 'Check that the bind account is enabled and the password set; if the server cannot page, set ldap.pagedSearch false.',
          cause: error,
        });
      default:
        break;
    }
    return new DirconnError('provider.error', `${where} returned LDAP error ${resultCode} while ${phaseText(ctx)}${said}.`, { cause: error });
  }

  const code = nodeCode(error);
  const message = messageOf(error);
  if (isTlsError(error)) {
    const wrongProtocol = code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long/i.test(message);
    if (wrongProtocol) {
      return new DirconnError('provider.tls', `${ctx.endpoint} did not answer with TLS (${code ?? message}).`, {
        hint: 'The port probably speaks plain LDAP: for LDAPS use port 636, or use ldap.startTls on port 389.',
        cause: error,
      });
    }
    if (/socket disconnected before secure TLS connection/i.test(message)) {
      return new DirconnError('provider.tls', `${ctx.endpoint} closed the connection during the TLS handshake.`, {
        hint: 'The port may not speak LDAPS (LDAPS is usually port 636; use ldap.startTls on port 389), or the server refused the client certificate (ldap.sslCertPath/sslKeyPath).',
        cause: error,
      });
    }
    return new DirconnError('provider.tls', `The TLS connection to ${ctx.endpoint} failed: ${tlsReason(code, message)}.`, {
      hint: 'Trust the server\'s CA with ldap.sslCaPath (LDAPS) or ldap.tlsCaPath (StartTLS), check that ldap.hostname matches the certificate, or — only if you accept the risk — set ldap.sslAllowUnauthorized true.',
      cause: error,
    });
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    const what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'cannot be resolved' : code === 'ECONNREFUSED' ? 'refused the connection' : code === 'ETIMEDOUT' ? 'did not answer in time' : 'dropped the connection';
    return new DirconnError('provider.unreachable', `${where} ${what} (${code}) while ${phaseText(ctx)}.`, {
      hint: 'Check ldap.hostname and ldap.port, that the server is running, and that no firewall blocks the port.',
      cause: error,
    });
  }
  if (/Connection timeout|Operation timed out/i.test(message)) {
    return new DirconnError('provider.unreachable', `${where} did not answer in time while ${phaseText(ctx)}.`, {
      hint: 'Check ldap.hostname/ldap.port and the network; raise ldap.connectTimeout or ldap.searchTimeLimit for slow servers.',
      cause: error,
    });
  }
  if (/Connection closed|Socket error|socket connection not established|ECONNRESET|socket hang up/i.test(message)) {
    const plainOnTls = ctx.phase !== 'search' && ctx.transport === 'plain';
    return new DirconnError('provider.unreachable', `The connection to ${where} was lost while ${phaseText(ctx)}; nothing was synced.`, {
      hint: plainOnTls ? 'If this port expects LDAPS, set ldap.ssl true (or use port 389).' : 'Retry; if it keeps happening, check the server logs and any load balancer idle timeouts.',
      cause: error,
    });
  }
  return new DirconnError('provider.error', `Reading ${where} failed while ${phaseText(ctx)}: ${message}`, { cause: error });
}

function phaseText(ctx: LdapErrorContext): string {
  switch (ctx.phase) {
    case 'connect':
      return 'connecting';
    case 'starttls':
      return 'starting TLS';
    case 'bind':
      return `binding as "${ctx.username}"`;
    default:
      return ctx.base ? `searching ${ctx.base.dn}` : 'searching';
  }
}

function tlsReason(code: string | undefined, message: string): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `the server certificate is self-signed or issued by an untrusted private CA (${code})`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `the server certificate cannot be verified against the trusted CAs (${code})`;
    case 'CERT_HAS_EXPIRED':
      return 'the server certificate has expired';
    case 'CERT_NOT_YET_VALID':
      return 'the server certificate is not valid yet (check the clocks)';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the server certificate does not match the host name (${message})`;
    default:
      return code ? `${code}: ${message}` : message;
  }
}
