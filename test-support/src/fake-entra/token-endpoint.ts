// The fake Entra sign-in endpoints (directory-apis.md §2.1, §2.9, §2.10): OpenID metadata as MSAL
// reads it, and the v2 token endpoint for client credentials with a client secret or a certificate
// (a JWT client assertion signed by the app's key, checked against the uploaded certificate).
// Errors use Entra's shapes and AADSTS codes. Test-only.

import { createPublicKey, createVerify, constants, randomBytes, X509Certificate } from 'node:crypto';

/** One OAuth error (status, `error`, AADSTS description). */
export interface OAuthError {
  status: number;
  error: string;
  description: string;
}

/** What the token endpoint checks. */
export interface FakeEntraApp {
  tenant: string;
  /** Other accepted tenant names (a verified domain). */
  tenantAliases: string[];
  clientId: string;
  clientSecret: string;
  /** PEM certificate uploaded for the app; null = certificate credentials refused. */
  certificate: string | null;
  /** Graph root the scope must name (`<root>/.default`). */
  graphRoot: string;
}

export function oauthError(status: number, error: string, code: string, text: string): OAuthError {
  return { status, error, description: `${code}: ${text}\r\nTrace ID: ${randomBytes(8).toString('hex')}\r\nCorrelation ID: ${randomBytes(8).toString('hex')}\r\nTimestamp: 2026-01-01 00:00:00Z` };
}

/** The OpenID configuration document of `<base>/<tenant>`. */
export function openIdConfiguration(base: string, tenant: string): Record<string, unknown> {
  const root = `${base}/${tenant}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${root}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat'],
    kerberos_endpoint: `${root}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(base).host,
  };
}

const b64urlJson = (part: string): Record<string, unknown> | null => {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
};

/** Checks a client assertion JWT (RS256 or PS256) against the app's certificate; returns the problem or null. */
export function assertionProblem(assertion: string, app: FakeEntraApp, tokenEndpoint: string, nowSeconds: number): string | null {
  if (app.certificate === null) return 'no certificate is registered for the app';
  const [h, p, s] = assertion.split('.');
  if (h === undefined || p === undefined || s === undefined) return 'the assertion is not a JWT';
  const header = b64urlJson(h);
  const payload = b64urlJson(p);
  if (header === null || payload === null) return 'the assertion is not a JWT';
  const alg = header['alg'];
  if (alg !== 'RS256' && alg !== 'PS256') return `unsupported algorithm ${String(alg)}`;
  const key = createPublicKey(new X509Certificate(app.certificate).publicKey.export({ type: 'spki', format: 'pem' }));
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${h}.${p}`);
  const ok = alg === 'PS256'
    ? verifier.verify({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, Buffer.from(s, 'base64url'))
    : verifier.verify(key, Buffer.from(s, 'base64url'));
  if (!ok) return 'the assertion signature does not match the registered certificate';
  if (payload['iss'] !== app.clientId || payload['sub'] !== app.clientId) return 'iss and sub must be the client id';
  if (payload['aud'] !== tokenEndpoint) return `aud must be the token endpoint ${tokenEndpoint}`;
  if (typeof payload['exp'] !== 'number' || payload['exp'] < nowSeconds) return 'the assertion has expired';
  return null;
}

/** Validates a client-credentials form; returns the error or null when a token may be issued. */
export function tokenRequestProblem(tenant: string, form: URLSearchParams, app: FakeEntraApp, tokenEndpoint: string, nowSeconds: number): OAuthError | null {
  if (tenant.toLowerCase() !== app.tenant.toLowerCase() && !app.tenantAliases.includes(tenant.toLowerCase())) {
    return oauthError(400, 'invalid_request', 'AADSTS90002', `Tenant '${tenant}' not found.`);
  }
  if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'AADSTS70003', 'The app requested an unsupported grant type.');
  if (form.get('client_id')?.toLowerCase() !== app.clientId.toLowerCase()) {
    return oauthError(400, 'unauthorized_client', 'AADSTS700016', `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory.`);
  }
  const scope = form.get('scope') ?? '';
  if (!scope.split(' ').includes(`${app.graphRoot}/.default`)) return oauthError(400, 'invalid_scope', 'AADSTS1002012', `The provided value for scope ${scope} is not valid.`);
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return oauthError(400, 'invalid_request', 'AADSTS50027', 'Invalid client assertion type.');
    const problem = assertionProblem(assertion, app, tokenEndpoint, nowSeconds);
    return problem === null ? null : oauthError(401, 'invalid_client', 'AADSTS700027', `Client assertion failed signature validation: ${problem}.`);
  }
  if (form.get('client_secret') !== app.clientSecret) return oauthError(401, 'invalid_client', 'AADSTS7000215', 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
  return null;
}
