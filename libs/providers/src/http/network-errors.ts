/**
 * Translation of Node network and TLS failures into DirconnErrors that name the host and the system
 * code, never a URL path, query or credential.
 */
import { DirconnError } from '@dirconn/core';
import type { ErrorCode } from '@dirconn/core';
import type { ProxyTarget } from './proxy-settings.js';

const SYSTEM_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection aborted',
};

const TLS_REASONS: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate chain ends in an untrusted CA',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate issuer not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate issuer not trusted',
  CERT_HAS_EXPIRED: 'certificate expired',
  CERT_NOT_YET_VALID: 'certificate not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on this port',
  EPROTO: 'TLS protocol error',
};

function isTlsCode(code: string): boolean {
  return code in TLS_REASONS || /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|INVALID_CA|HOSTNAME_MISMATCH)/.test(code);
}

/** Builds the errors of one client (codes and hints are per client). */
export class NetworkErrorFactory {
  constructor(
    private readonly errorCode: ErrorCode,
    private readonly tlsErrorCode: ErrorCode,
    private readonly responseErrorCode: ErrorCode,
    private readonly tlsHint: string,
    private readonly serviceName: string,
  ) {}

  /** Maps a Node error to a DirconnError naming the host and the system code. */
  network(error: unknown, host: string): DirconnError {
    if (DirconnError.is(error)) return error;
    const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : 'ECONNRESET';
    if (isTlsCode(code)) {
      const reason = TLS_REASONS[code] ?? 'TLS handshake failed';
      return new DirconnError(this.tlsErrorCode, `TLS connection to ${this.serviceName} at ${host} failed: ${reason} (${code}).`, {
        hint: this.tlsHint,
        cause: error,
        details: { host, systemCode: code, kind: 'tls' },
      });
    }
    const reason = SYSTEM_REASONS[code] ?? 'network error';
    return new DirconnError(this.errorCode, `Cannot connect to ${this.serviceName} at ${host}: ${reason} (${code}).`, {
      hint: 'Check the URL, the network, firewalls and the proxy settings (HTTPS_PROXY, NO_PROXY).',
      cause: error,
      details: { host, systemCode: code, kind: 'network' },
    });
  }

  /** The request got no complete answer within `ms`. */
  timeout(host: string, ms: number): DirconnError {
    return new DirconnError(this.errorCode, `No answer from ${this.serviceName} at ${host} within ${Math.round(ms / 100) / 10} s.`, {
      hint: 'The server or the network is slow or down; try again later.',
      details: { host, systemCode: 'ETIMEDOUT', kind: 'timeout' },
    });
  }

  /** The proxy refused or failed to open the CONNECT tunnel. */
  proxy(proxy: ProxyTarget, host: string, detail: string, cause?: unknown): DirconnError {
    const systemCode = typeof (cause as { code?: unknown } | undefined)?.code === 'string' ? (cause as { code: string }).code : null;
    return new DirconnError(this.errorCode, `The proxy ${proxy.label} could not open a tunnel to ${host}: ${detail}.`, {
      hint: 'Check HTTPS_PROXY/HTTP_PROXY (and its credentials) or add the host to NO_PROXY.',
      cause,
      details: { host, proxy: proxy.label, kind: 'proxy', systemCode },
    });
  }

  /** The response body passed the size limit. */
  tooLarge(host: string, limit: number): DirconnError {
    return new DirconnError(this.responseErrorCode, `The response from ${this.serviceName} at ${host} exceeds ${limit} bytes.`);
  }
}
