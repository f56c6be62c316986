/**
 * The reference connector's change-detection hash (reference-connector.md §7.6), computed with the web
 * standard `crypto.subtle` so core stays free of `node:crypto`.
 *
 * - new style:    base64(SHA-256(apiUrl + organizationId + json))  ← the only one we store
 * - legacy style: base64(SHA-256(apiUrl + json))                   ← still accepted when comparing
 *
 * `json` is the text from `serializeImportRequests` (the single request object, or the array of
 * requests when batched). Strings are hashed as UTF-8, like the reference.
 */

/** The two hashes of one serialised import, as compared with `SyncState.lastSyncHash`. */
export interface SyncHashes {
  /** New-style hash (with the organization id). This is what gets stored. */
  hash: string;
  /** Legacy hash (without the organization id), accepted so older reference state still matches. */
  legacyHash: string;
}

/** base64 of the SHA-256 digest of the UTF-8 bytes of `text`. */
export async function sha256Base64(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return bytesToBase64(new Uint8Array(digest));
}

/** `base64(SHA-256(apiUrl + organizationId + json))` (reference §7.6). */
export async function computeSyncHash(apiUrl: string, organizationId: string, json: string): Promise<string> {
  return sha256Base64(apiUrl + organizationId + json);
}

/** `base64(SHA-256(apiUrl + json))`, the reference's legacy form (accepted, never stored). */
export async function computeLegacySyncHash(apiUrl: string, json: string): Promise<string> {
  return sha256Base64(apiUrl + json);
}

/** Both hashes at once (the JSON, often megabytes, is encoded only once). */
export async function computeSyncHashes(apiUrl: string, organizationId: string, json: string): Promise<SyncHashes> {
  const encoder = new TextEncoder();
  const body = encoder.encode(json);
  const digest = async (prefix: string): Promise<string> => {
    // UTF-8 of a concatenation = concatenation of the UTF-8s (the prefix ends on a whole character).
    const head = encoder.encode(prefix);
    const bytes = new Uint8Array(head.length + body.length);
    bytes.set(head, 0);
    bytes.set(body, head.length);
    return bytesToBase64(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes)));
  };
  const hash = await digest(apiUrl + organizationId);
  const legacyHash = await digest(apiUrl);
  return { hash, legacyHash };
}

/**
 * True when `lastSyncHash` (from the state) equals either hash, i.e. the last successful sync sent
 * exactly these bytes to this server and organization and posting can be skipped. A null or empty
 * stored hash never matches.
 */
export function matchesLastSyncHash(lastSyncHash: string | null | undefined, hashes: SyncHashes): boolean {
  if (lastSyncHash === null || lastSyncHash === undefined || lastSyncHash === '') return false;
  return lastSyncHash === hashes.hash || lastSyncHash === hashes.legacyHash;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
