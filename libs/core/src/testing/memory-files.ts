/** An in-memory `FileReader` for tests: paths map to text; any other path is ENOENT. */
import type { FileReader } from '../ports.js';

/** FileReader over a `{path: text}` map. */
export class MemoryFiles implements FileReader {
  readonly #files = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.#files.set(path, text);
  }

  /** Adds or replaces a file. */
  write(path: string, text: string): void {
    this.#files.set(path, text);
  }

  readText(path: string): Promise<string> {
    const text = this.#files.get(path);
    return text === undefined ? Promise.reject(missing(path)) : Promise.resolve(text);
  }

  checkReadable(path: string): Promise<void> {
    return this.#files.has(path) ? Promise.resolve() : Promise.reject(missing(path));
  }
}

function missing(path: string): Error & { code: string } {
  return Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
}
