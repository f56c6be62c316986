/**
 * Signing in to Microsoft Entra ID with `@azure/identity` (client secret or certificate), over the
 * platform's HTTP client: the SDK's `httpClient` option is an adapter onto core's `HttpClient` port,
 * so token and OpenID-metadata requests honour HTTPS_PROXY/NO_PROXY and NODE_EXTRA_CA_CERTS exactly
 * like the Graph calls (directory-apis.md §2.1, §2.9).
 *
 * Custom authorities (an `https://` URL: other clouds, the loopback fake) turn off instance
 * discovery, which would otherwise ask the public cloud whether the authority is known. Sign-in
 * errors become `auth.directory` with the service's error code and the first line of its
 * description (never the secret), and a hint naming the setting to fix.
 */
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { createHttpHeaders, type HttpClient as AzureHttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { DirconnError } from '@dirconn/core';
import type { HttpClient, HttpRequest } from '@dirconn/core';
import { authorityUrlOf, isKnownAuthority, type EntraConfig } from './entra.config.js';

/** Core's HttpClient as the Azure SDK's HttpClient; remembers the last network failure for messages. */
export class AzureHttpAdapter implements AzureHttpClient {
  /** The last network-level failure (a DirconnError from the platform client), cleared per request. */
  lastNetworkError: unknown = null;
  /** Requests sent (token, metadata), for stats. */
  requests = 0;

  constructor(private readonly http: HttpClient) {}

  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    const method = request.method;
    if (method !== 'GET' && method !== 'POST' && method !== 'PUT' && method !== 'DELETE') {
      throw new DirconnError('internal', `The Entra sign-in library sent an unsupported ${method} request.`);
    }
    if (request.body !== undefined && request.body !== null && typeof request.body !== 'string') {
      throw new DirconnError('internal', 'The Entra sign-in library sent a streamed request body, which dirconn does not support.');
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) headers[name] = value;
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    if (request.abortSignal?.aborted) controller.abort();
    request.abortSignal?.addEventListener('abort', abort);
    const outgoing: HttpRequest = { method, url: request.url, headers, signal: controller.signal };
    if (typeof request.body === 'string') outgoing.body = request.body;
    if (request.timeout > 0) outgoing.timeoutMs = request.timeout;
    this.requests++;
    try {
      this.lastNetworkError = null;
      const response = await this.http.send(outgoing);
      return { request, status: response.status, headers: createHttpHeaders(response.headers), bodyAsText: response.body };
    } catch (error) {
      this.lastNetworkError = error;
      throw error;
    } finally {
      request.abortSignal?.removeEventListener('abort', abort);
    }
  }
}

/** What sign-in needs: the config, the client secret (or the certificate file) and the platform HTTP. */
export interface EntraCredentialOptions {
  config: EntraConfig;
  secret: string | null;
  adapter: AzureHttpAdapter;
}

/** Builds the credential: a certificate when `entra.certificatePath` is set, else the client secret. */
export function createEntraCredential({ config, secret, adapter }: EntraCredentialOptions): TokenCredential {
  const tenant = (config.tenant ?? '').trim();
  const clientId = (config.applicationId ?? '').trim();
  const options = {
    authorityHost: authorityUrlOf(config),
    disableInstanceDiscovery: !isKnownAuthority(config),
    httpClient: adapter,
    // Our transport does the Graph retries; sign-in gets a short retry of its own.
    retryOptions: { maxRetries: 2, retryDelayInMs: 500, maxRetryDelayInMs: 4000 },
  };
  const certificatePath = config.certificatePath?.trim() ?? '';
  if (certificatePath !== '') return new ClientCertificateCredential(tenant, clientId, { certificatePath }, options);
  if (secret === null || secret === '') {
    throw new DirconnError('config.incomplete', 'No Entra client secret (entra.key) or certificate (entra.certificatePath) is configured.', {
      hint: 'Store the client secret with "dirconn config entra.key --secretenv VAR" (or DIRCONN_ENTRA_KEY), or set entra.certificatePath.',
    });
  }
  return new ClientSecretCredential(tenant, clientId, secret, options);
}

/** The OAuth error code and first description line found in an SDK error or its causes. */
export function signInFailure(error: unknown): { code: string | null; description: string | null } {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const e = current as { errorCode?: unknown; errorMessage?: unknown; errorResponse?: { error?: unknown; errorDescription?: unknown }; cause?: unknown; message?: unknown };
    const code = typeof e.errorResponse?.error === 'string' ? e.errorResponse.error : typeof e.errorCode === 'string' ? e.errorCode : null;
    const text = typeof e.errorResponse?.errorDescription === 'string' ? e.errorResponse.errorDescription : typeof e.errorMessage === 'string' ? e.errorMessage : null;
    if (code !== null && code !== '') return { code, description: text === null ? null : firstLine(text) };
    current = e.cause;
  }
  const message = error instanceof Error ? error.message : null;
  const aadsts = message === null ? null : /AADSTS\d+[^\n]*/.exec(message);
  return { code: null, description: aadsts ? firstLine(aadsts[0]) : null };
}

const firstLine = (text: string): string => (text.split(/\r?\n/)[0] ?? '').replace(/\s+Trace ID:.*$/i, '').trim();

/** A hint for a sign-in error code (directory-apis.md §2.1 table). */
function signInHint(code: string | null, description: string | null, usesCertificate: boolean): string {
  const aadsts = description === null ? null : /AADSTS(\d+)/.exec(description)?.[1] ?? null;
  if (aadsts === '7000222') return 'The client secret has expired: create a new one under App registrations → your app → Certificates & secrets, then store it with "dirconn config entra.key --secretenv VAR".';
  if (code === 'invalid_client') {
    return usesCertificate
      ? 'The certificate was refused: upload its public part under App registrations → your app → Certificates & secrets, and check entra.certificatePath.'
      : 'The client secret (entra.key) is wrong: store the secret\'s Value (not its ID) with "dirconn config entra.key --secretenv VAR".';
  }
  if (code === 'unauthorized_client' || aadsts === '700016') return 'No application with this id in the tenant: check entra.applicationId and entra.tenant.';
  if (aadsts === '90002' || code === 'invalid_request') return 'The tenant was not found: check entra.tenant (the tenant id or a verified domain) and entra.identityAuthority (cloud).';
  if (code === 'invalid_scope') return 'The Graph scope was refused: entra.graphUrl must be the Microsoft Graph of the same cloud as entra.identityAuthority.';
  return 'Check entra.tenant, entra.applicationId, the secret or certificate, and entra.identityAuthority.';
}

/**
 * Gets an access token for `<graph root>/.default`. A network failure is reported as the platform's
 * `provider.unreachable`/`provider.tls` error; any refusal as `auth.directory`.
 */
export async function acquireGraphToken(credential: TokenCredential, adapter: AzureHttpAdapter, graphRoot: string, usesCertificate: boolean, signal?: AbortSignal): Promise<{ token: string; expiresOn: number }> {
  try {
    const token = await credential.getToken(`${graphRoot}/.default`, signal ? { abortSignal: signal } : {});
    if (token === null) throw new DirconnError('auth.directory', 'Signing in to Microsoft Entra ID returned no access token.');
    return { token: token.token, expiresOn: token.expiresOnTimestamp };
  } catch (error) {
    if (signal?.aborted) throw new DirconnError('cancelled', 'Cancelled.', { cause: error });
    if (DirconnError.is(adapter.lastNetworkError)) throw adapter.lastNetworkError;
    if (DirconnError.is(error)) throw error;
    const { code, description } = signInFailure(error);
    const what = [code, description].filter((x) => x !== null && x !== '').join(': ');
    throw new DirconnError('auth.directory', `Signing in to Microsoft Entra ID failed${what === '' ? '' : ` (${what})`}.`, {
      hint: signInHint(code, description, usesCertificate),
      details: { error: code },
    });
  }
}
