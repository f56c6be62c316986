/** An in-memory `FileReader` and `FileWriter` for tests: paths map to text; any other path is ENOENT. */
import type { FileReader, FileWriter } from '../ports.js';

/** FileReader and FileWriter over a `{path: text}` map. */
export class MemoryFiles implements FileReader, FileWriter {
  readonly #files = new Map<string, string>();
  /** Paths passed to `touch`, in order. */
  readonly touched: string[] = [];
  /** Paths whose writes fail with this system error code (e.g. `EACCES`). */
  readonly failing = new Map<string, string>();

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

  writeTextAtomic(path: string, text: string): Promise<void> {
    const code = this.failing.get(path);
    if (code !== undefined) return Promise.reject(Object.assign(new Error(`${code}: cannot write '${path}'`), { code }));
    this.#files.set(path, text);
    return Promise.resolve();
  }

  touch(path: string): Promise<void> {
    const code = this.failing.get(path);
    if (code !== undefined) return Promise.reject(Object.assign(new Error(`${code}: cannot touch '${path}'`), { code }));
    if (!this.#files.has(path)) this.#files.set(path, '');
    this.touched.push(path);
    return Promise.resolve();
  }
}

function missing(path: string): Error & { code: string } {
  return Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
}
