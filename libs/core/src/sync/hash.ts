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
  const builder = new Utf8Builder(apiUrl.length + organizationId.length + json.length);
  builder.append(apiUrl + organizationId);
  builder.append(json);
  return digestBase64(builder.bytes());
}

/** `base64(SHA-256(apiUrl + json))`, the reference's legacy form (accepted, never stored). */
export async function computeLegacySyncHash(apiUrl: string, json: string): Promise<string> {
  return sha256Base64(apiUrl + json);
}

/**
 * Both hashes at once. The JSON (32 MB at 100k users) is encoded once, straight into one buffer after
 * `apiUrl + organizationId`; the legacy hash reuses that buffer with `apiUrl` written just before the
 * JSON. (UTF-8 of a concatenation = concatenation of the UTF-8s.)
 */
export async function computeSyncHashes(apiUrl: string, organizationId: string, json: string): Promise<SyncHashes> {
  const builder = new Utf8Builder(apiUrl.length + organizationId.length + json.length);
  builder.append(apiUrl + organizationId);
  const jsonStart = builder.length;
  builder.append(json);
  const bytes = builder.bytes();
  const hash = await digestBase64(bytes);
  const api = new TextEncoder().encode(apiUrl);
  const legacyStart = jsonStart - api.length;
  bytes.set(api, legacyStart);
  const legacyHash = await digestBase64(bytes.subarray(legacyStart));
  return { hash, legacyHash };
}

/**
 * base64 SHA-256 of the concatenation of `pieces`, where an array piece stands for its elements
 * joined with "\n" (`["a\n", ["x", "y"]]` hashes "a\nx\ny"). Same digest as building the text and
 * calling {@link sha256Base64}, without the joined string: the text is encoded piece by piece into
 * one buffer (fingerprints of 100k users and 500k memberships are tens of MB). Each piece and element
 * must be well-formed text on its own (a surrogate pair split across two pieces is encoded as two
 * replacement characters); JSON.stringify output always is.
 */
export async function sha256Base64OfPieces(pieces: readonly (string | readonly string[])[]): Promise<string> {
  let chars = 0;
  for (const piece of pieces) {
    if (typeof piece === 'string') chars += piece.length;
    else for (let i = 0; i < piece.length; i++) chars += piece[i]!.length + (i > 0 ? 1 : 0);
  }
  const builder = new Utf8Builder(chars);
  for (const piece of pieces) {
    if (typeof piece === 'string') builder.append(piece);
    else
      for (let i = 0; i < piece.length; i++) {
        if (i > 0) builder.append('\n');
        builder.append(piece[i]!);
      }
  }
  return digestBase64(builder.bytes());
}

/** UTF-8 text appended into one growing buffer (sized for ASCII; grows for other characters). */
class Utf8Builder {
  static readonly #encoder = new TextEncoder();
  #buffer: Uint8Array<ArrayBuffer>;
  #length = 0;

  constructor(capacity: number) {
    this.#buffer = new Uint8Array(Math.max(16, capacity));
  }

  get length(): number {
    return this.#length;
  }

  append(text: string): void {
    let rest = text;
    for (;;) {
      const { read, written } = Utf8Builder.#encoder.encodeInto(rest, this.#buffer.subarray(this.#length));
      this.#length += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      this.#grow(this.#length + rest.length * 3);
    }
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Uint8Array<ArrayBuffer> {
    return this.#buffer.subarray(0, this.#length);
  }

  #grow(needed: number): void {
    const next = new Uint8Array(Math.max(needed, Math.ceil(this.#buffer.length * 1.5)));
    next.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = next;
  }
}

async function digestBase64(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return bytesToBase64(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes)));
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
