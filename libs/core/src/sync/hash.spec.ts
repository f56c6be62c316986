import { describe, expect, it } from '@jest/globals';
import { computeLegacySyncHash, computeSyncHash, computeSyncHashes, matchesLastSyncHash, sha256Base64, sha256Base64OfPieces } from './hash.js';

const API = 'https://api.bitwarden.com';
const ORG = '00000000-0000-0000-0000-000000000001';
const JSON_TEXT =
  '{"groups":[],"members":[{"email":"a@example.com","externalId":"a","deleted":false}],"overwriteExisting":false,"largeImport":false,"inviteUsersAfterProvisioning":false}';

// Expected values computed independently with openssl:
//   J='<JSON_TEXT above>'
//   printf '%s' "https://api.bitwarden.com00000000-0000-0000-0000-000000000001$J" | openssl dgst -sha256 -binary | base64
//   printf '%s' "https://api.bitwarden.com$J" | openssl dgst -sha256 -binary | base64
//   printf '%s' "" | openssl dgst -sha256 -binary | base64
//   printf '%s' "https://vault.example.com/apiorg-1é€😀" | openssl dgst -sha256 -binary | base64
const EXPECTED_HASH = 'Z5Pa+SOHAP8VIHbwjLKHSif2DGdnmTJg9O0tqjxSbXw=';
const EXPECTED_LEGACY = 'xwcaXwwAxVZB9nB52cy9XF6mL7XNq6wcWbHjxDscvsY=';
const EXPECTED_EMPTY = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
const EXPECTED_UTF8 = 'k63KiTLJGkAx0PNoRE3jD6QicQolpsKLzrS2pOhjLFU=';

describe('sync hash (reference §7.6)', () => {
  it('is base64(SHA-256(apiUrl + organizationId + json))', async () => {
    await expect(computeSyncHash(API, ORG, JSON_TEXT)).resolves.toBe(EXPECTED_HASH);
  });

  it('has a legacy form base64(SHA-256(apiUrl + json))', async () => {
    await expect(computeLegacySyncHash(API, JSON_TEXT)).resolves.toBe(EXPECTED_LEGACY);
    await expect(computeSyncHashes(API, ORG, JSON_TEXT)).resolves.toEqual({ hash: EXPECTED_HASH, legacyHash: EXPECTED_LEGACY });
  });

  it('hashes text as UTF-8', async () => {
    await expect(sha256Base64('')).resolves.toBe(EXPECTED_EMPTY);
    await expect(sha256Base64('https://vault.example.com/apiorg-1é€😀')).resolves.toBe(EXPECTED_UTF8);
  });

  it('gives the same hashes for non-ASCII JSON and URLs as hashing the concatenated text', async () => {
    for (const [api, json] of [
      [API, '{"groups":[{"name":"Équipe € 😀","externalId":"g"}],"members":[]}'],
      ['https://vault.exämple.com/api', JSON_TEXT],
      [API, '\ud800 lone surrogate'],
      [API, ''],
    ] as const) {
      await expect(computeSyncHashes(api, ORG, json)).resolves.toEqual({ hash: await sha256Base64(api + ORG + json), legacyHash: await sha256Base64(api + json) });
      await expect(computeSyncHash(api, ORG, json)).resolves.toBe(await sha256Base64(api + ORG + json));
    }
  });

  it('hashes pieces (arrays joined with newlines) like the joined text', async () => {
    const cases: (string | string[])[][] = [
      ['users\n', ['a', 'b'], '\ngroups\n', ['["g","Équipe 😀",["a"]]']],
      ['users\n', [], '\ngroups\n', []],
      [['only'], ['x', '', 'y']],
      ['😀', ['é'.repeat(5000), '€']],
    ];
    for (const pieces of cases) {
      const text = pieces.map((p) => (typeof p === 'string' ? p : p.join('\n'))).join('');
      await expect(sha256Base64OfPieces(pieces)).resolves.toBe(await sha256Base64(text));
    }
  });

  it('matches a stored hash of either style, never an empty one', () => {
    const hashes = { hash: EXPECTED_HASH, legacyHash: EXPECTED_LEGACY };
    expect(matchesLastSyncHash(EXPECTED_HASH, hashes)).toBe(true);
    expect(matchesLastSyncHash(EXPECTED_LEGACY, hashes)).toBe(true);
    expect(matchesLastSyncHash('something else', hashes)).toBe(false);
    expect(matchesLastSyncHash(null, hashes)).toBe(false);
    expect(matchesLastSyncHash('', { hash: '', legacyHash: '' })).toBe(false);
  });

  it('changes with the organization and the api url', async () => {
    const other = await computeSyncHash(API, '00000000-0000-0000-0000-000000000002', JSON_TEXT);
    expect(other).not.toBe(EXPECTED_HASH);
    expect(await computeSyncHash('https://api.bitwarden.eu', ORG, JSON_TEXT)).not.toBe(EXPECTED_HASH);
  });
});
