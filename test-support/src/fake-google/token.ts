// The fake's OAuth side (directory-apis.md §3.1): service accounts with RSA keys, the JWT-bearer
// grant checked like Google does (RS256 signature with the account's public key, iss, sub, aud,
// iat/exp, scopes against the domain-wide delegation), and the access tokens it issues. Test-only.

import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';

/** Google's token endpoint: a JWT's `aud` may name it even when the fake is reached elsewhere. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** The three read-only scopes dirconn asks for. */
export const DIRECTORY_READ_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
] as const;

/** A service account known to the fake. */
export interface FakeServiceAccount {
  clientEmail: string;
  /** The numeric client id admins grant domain-wide delegation to. */
  clientId: string;
  publicKey: KeyObject;
  /** PEM private key (what the key file holds). */
  privateKeyPem: string;
  /** Scopes granted in Admin console → Security → API controls → Domain-wide delegation. */
  delegatedScopes: string[];
}

/** Makes a service account with a fresh 2048-bit RSA key and the three read scopes delegated. */
export function newServiceAccount(clientEmail = 'dirconn@fake-project.iam.gserviceaccount.com', delegatedScopes: readonly string[] = DIRECTORY_READ_SCOPES): FakeServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    clientEmail,
    clientId: String(100_000_000_000_000_000_000n + BigInt(randomBytes(4).readUInt32BE())),
    publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    delegatedScopes: [...delegatedScopes],
  };
}

/** The JSON key file Google hands out for `account`, with `tokenUri` as its token_uri. */
export function serviceAccountKeyFile(account: FakeServiceAccount, tokenUri: string): string {
  return JSON.stringify(
    {
      type: 'service_account',
      project_id: 'fake-project',
      private_key_id: 'f00d',
      private_key: account.privateKeyPem,
      client_email: account.clientEmail,
      client_id: account.clientId,
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: tokenUri,
    },
    null,
    2,
  );
}

/** An access token the fake issued. */
export interface FakeAccessToken {
  subject: string;
  clientEmail: string;
  scopes: string[];
  expiresAt: number;
}

/** The outcome of a token request: the response status and JSON body. */
export interface TokenOutcome {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (status: number, error: string, description: string): TokenOutcome => ({ status, body: { error, error_description: description } });

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Checks JWT-bearer grants and keeps the issued tokens. */
export class FakeTokenService {
  readonly accounts: FakeServiceAccount[] = [];
  readonly #tokens = new Map<string, FakeAccessToken>();
  #issued = 0;

  /**
   * @param audiences token URLs a JWT's `aud` may name (the fake's own and Google's)
   * @param isUser whether `sub` is an existing user of the account
   * @param now the fake's clock in ms
   * @param lifetimeSeconds access-token lifetime
   */
  constructor(
    private readonly audiences: () => string[],
    private readonly isUser: (email: string) => boolean,
    private readonly now: () => number,
    private readonly lifetimeSeconds = 3600,
  ) {}

  /** Handles `POST /token` with the form fields. */
  grant(form: URLSearchParams): TokenOutcome {
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return oauthError(400, 'unsupported_grant_type', 'Invalid grant_type: ' + (form.get('grant_type') ?? ''));
    const assertion = form.get('assertion') ?? '';
    const [h = '', p = '', s = '', ...extra] = assertion.split('.');
    const header = decodeSegment(h);
    const claims = decodeSegment(p);
    if (extra.length > 0 || header === null || claims === null || s === '') return oauthError(400, 'invalid_grant', 'Invalid JWT: malformed.');
    if (header['alg'] !== 'RS256') return oauthError(400, 'invalid_grant', 'Invalid JWT: alg must be RS256.');
    const account = this.accounts.find((a) => a.clientEmail === claims['iss']);
    if (!account) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), account.publicKey, Buffer.from(s, 'base64url'))) return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    const aud = claims['aud'];
    if (typeof aud !== 'string' || !this.audiences().includes(aud)) return oauthError(400, 'invalid_grant', 'Invalid JWT: aud is not this token endpoint.');
    const iat = claims['iat'];
    const exp = claims['exp'];
    const nowSeconds = Math.floor(this.now() / 1000);
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= iat || iat > nowSeconds + 300 || exp < nowSeconds - 300) {
      return oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    }
    const sub = claims['sub'];
    if (typeof sub !== 'string' || !this.isUser(sub)) return oauthError(400, 'invalid_grant', 'Invalid email or User ID');
    const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ').filter((x) => x !== '') : [];
    if (scopes.length === 0 || scopes.some((scope) => !account.delegatedScopes.includes(scope))) {
      return oauthError(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
    }
    const token = `ya29.fake-${randomBytes(18).toString('base64url')}`;
    this.#issued++;
    this.#tokens.set(token, { subject: sub.toLowerCase(), clientEmail: account.clientEmail, scopes, expiresAt: this.now() + this.lifetimeSeconds * 1000 });
    return { status: 200, body: { access_token: token, expires_in: this.lifetimeSeconds - 1, token_type: 'Bearer' } };
  }

  /** The live token behind an `Authorization` header, or null. */
  check(authorization: string | undefined): FakeAccessToken | null {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '');
    const token = match?.[1] ? this.#tokens.get(match[1]) : undefined;
    return token && token.expiresAt > this.now() ? token : null;
  }

  /** Expires every issued token (the next API call gets 401). */
  revokeAll(): void {
    this.#tokens.clear();
  }

  /** How many tokens were issued. */
  get issued(): number {
    return this.#issued;
  }
}
