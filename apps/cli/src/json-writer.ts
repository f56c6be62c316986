/**
 * JSON documents written in pieces: a plan of a 100k-user directory is ~100 MB of JSON, and
 * `JSON.stringify(plan, null, 2)` builds it as one string (several hundred MB with indentation) on top
 * of the plan. Here large arrays and objects are serialised element by element into chunks of about
 * 64 KiB that are handed to `write` as they fill, so the document never exists as one string.
 *
 * Small documents (up to `prettyLimit` characters compact) are written indented, as before, so
 * everyday output stays readable; larger ones are written compact. The text is exactly what
 * `JSON.stringify(value)` (or `JSON.stringify(value, null, 2)` when small) gives for plain data.
 */

/** Compact documents up to this many characters are printed indented (2 spaces). */
export const PRETTY_LIMIT_CHARS = 1_000_000;

const CHUNK_CHARS = 64 * 1024;
/** Arrays up to this length, and objects without large children, are serialised in one call. */
const SMALL_ARRAY = 64;

/** Options of {@link writeJsonDocument}. */
export interface JsonWriteOptions {
  /** Indent documents whose compact form is at most this long; default {@link PRETTY_LIMIT_CHARS}; 0 = always compact. */
  prettyLimit?: number;
}

/**
 * Writes `value` as one JSON document followed by a newline, through `write` (called with chunks of
 * about 64 KiB). Returns the number of characters written.
 */
export function writeJsonDocument(value: unknown, write: (chunk: string) => void, options: JsonWriteOptions = {}): number {
  const prettyLimit = options.prettyLimit ?? PRETTY_LIMIT_CHARS;
  // Serialise compact; hold the pieces back until the document is known to be larger than the
  // pretty limit, then stream the rest.
  let held: string[] | null = prettyLimit > 0 ? [] : null;
  let heldChars = 0;
  let total = 0;
  const sink = (chunk: string): void => {
    total += chunk.length;
    if (held === null) {
      write(chunk);
      return;
    }
    held.push(chunk);
    heldChars += chunk.length;
    if (heldChars > prettyLimit) {
      for (const piece of held) write(piece);
      held = null;
    }
  };
  const buffer = new ChunkBuffer(sink);
  emit(value, buffer);
  buffer.flush();
  if (held !== null) {
    const pretty = JSON.stringify(value, null, 2) ?? 'null';
    write(`${pretty}\n`);
    return pretty.length + 1;
  }
  write('\n');
  return total + 1;
}

/** Collects small strings and passes them on in chunks of about {@link CHUNK_CHARS}. */
class ChunkBuffer {
  #parts: string[] = [];
  #chars = 0;

  constructor(private readonly sink: (chunk: string) => void) {}

  push(text: string): void {
    this.#parts.push(text);
    this.#chars += text.length;
    if (this.#chars >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.#parts.length === 0) return;
    const chunk = this.#parts.join('');
    this.#parts = [];
    this.#chars = 0;
    this.sink(chunk);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** True when the object holds an array longer than SMALL_ARRAY or a nested object (worth streaming). */
function hasLargeChild(object: Record<string, unknown>): boolean {
  for (const key of Object.keys(object)) {
    const child = object[key];
    if (Array.isArray(child) ? child.length > SMALL_ARRAY : isPlainObject(child)) return true;
  }
  return false;
}

/** Appends the JSON of `value` (undefined, functions and symbols as null: only array elements and the root get here). */
function emit(value: unknown, out: ChunkBuffer): void {
  if (Array.isArray(value) && value.length > SMALL_ARRAY) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      emit(value[i], out);
    }
    out.push(']');
    return;
  }
  if (isPlainObject(value) && hasLargeChild(value)) {
    out.push('{');
    let first = true;
    // Object.keys: the order JSON.stringify uses.
    for (const key of Object.keys(value)) {
      const child = value[key];
      if (child === undefined || typeof child === 'function' || typeof child === 'symbol') continue;
      out.push(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      emit(child, out);
    }
    out.push('}');
    return;
  }
  const text = JSON.stringify(value) as string | undefined;
  out.push(text ?? 'null');
}
