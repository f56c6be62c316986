/**
 * Turns the error bodies of the official server, Vaultwarden and Rocket into one readable line
 * (bitwarden-api.md §2.4, §2.5, §4.1, §6). Pure text processing; never sees secrets (servers do
 * not echo them).
 */

/** What could be read from an error body. */
export interface ServerErrorBody {
  /** One line for the admin, e.g. `The request's model state is invalid. Members[3].Email: The Email field is not a valid e-mail address.` */
  text: string;
  /** The validation map as sent (`errors` of the official server, `validationErrors` of Vaultwarden), keys untouched. */
  errors: Record<string, string[]> | null;
}

const MAX_TEXT = 2000;
const MAX_ENTRIES = 50;

/** Narrows to a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function toErrorMap(value: unknown): Record<string, string[]> | null {
  if (!isRecord(value)) return null;
  const map: Record<string, string[]> = {};
  for (const [key, raw] of Object.entries(value)) {
    const list = Array.isArray(raw) ? raw : [raw];
    map[key] = list.filter((item): item is string => typeof item === 'string');
  }
  return Object.keys(map).length > 0 ? map : null;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT)}…` : oneLine;
}

/**
 * Describes an error response body.
 *
 * - official: `message` plus every `errors` entry as `Key: message` (the caller maps
 *   `Members[i]` indexes back to people; the raw map is returned in `errors`);
 * - OAuth token errors: `error` (+ `error_description`);
 * - Vaultwarden: `message` (+ `validationErrors` entries that add something);
 * - Rocket: `error.description`;
 * - HTML (proxies): the `<title>`; other text: the first 200 characters; empty: `(empty body)`.
 */
export function describeErrorBody(body: string): ServerErrorBody {
  const trimmed = body.trim();
  if (trimmed === '') return { text: '(empty body)', errors: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    if (trimmed.startsWith('<')) {
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
      return { text: title ? `HTML page "${clip(title)}"` : 'an HTML page', errors: null };
    }
    return { text: clip(trimmed.slice(0, 200)), errors: null };
  }
  if (!isRecord(parsed)) return { text: clip(trimmed.slice(0, 200)), errors: null };

  // Rocket's default catcher (Vaultwarden 401/404/413/422): {"error":{"code","reason","description"}}.
  const rocket = parsed['error'];
  if (isRecord(rocket)) {
    const description = nonEmptyString(rocket['description']) ?? nonEmptyString(rocket['reason']) ?? 'error';
    return { text: clip(description), errors: null };
  }

  const message = nonEmptyString(parsed['message']);
  const errors = toErrorMap(parsed['errors']) ?? toErrorMap(parsed['validationErrors']);
  const parts: string[] = [];
  if (message !== null) parts.push(message.endsWith('.') ? message : `${message}.`);
  if (errors !== null) {
    let count = 0;
    for (const [key, messages] of Object.entries(errors)) {
      for (const text of messages) {
        if (count >= MAX_ENTRIES) break;
        if (key === '' && message !== null && text.trim() === message) continue; // Vaultwarden repeats the message
        parts.push(key === '' ? text : `${key}: ${text}`);
        count++;
      }
    }
    const total = Object.values(errors).reduce((sum, list) => sum + list.length, 0);
    if (total > MAX_ENTRIES) parts.push(`(and ${total - MAX_ENTRIES} more)`);
  }
  if (parts.length === 0) {
    // OAuth (official token endpoint): {"error":"invalid_client","error_description":…}.
    const oauth = nonEmptyString(parsed['error']);
    if (oauth !== null) {
      const description = nonEmptyString(parsed['error_description']);
      return { text: clip(description ? `${oauth}: ${description}` : oauth), errors: null };
    }
    return { text: clip(trimmed.slice(0, 200)), errors: null };
  }
  return { text: clip(parts.join(' ')), errors };
}
