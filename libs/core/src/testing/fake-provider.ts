/**
 * A `DirectoryProvider` that returns a given snapshot (or throws a given error) and records the
 * options of every read.
 */
import type { DirectoryProvider, DirectorySnapshot, ReadOptions } from '../model/directory.js';

/** What a FakeProvider read yields: a snapshot, an error to throw, or a function of the options. */
export type FakeReadResult = DirectorySnapshot | Error | ((options: ReadOptions) => DirectorySnapshot | Promise<DirectorySnapshot>);

/** A DirectoryProvider double: yields the configured result and records each read's options. */
export class FakeProvider implements DirectoryProvider {
  /** Options of every `read()` call, in order. */
  readonly reads: ReadOptions[] = [];

  constructor(
    private result: FakeReadResult,
    readonly type: string = 'fake',
  ) {}

  /** Replaces what the next reads yield. */
  setResult(result: FakeReadResult): void {
    this.result = result;
  }

  async read(options: ReadOptions): Promise<DirectorySnapshot> {
    this.reads.push(options);
    const result = this.result;
    if (result instanceof Error) throw result;
    if (typeof result === 'function') return result(options);
    // A deep copy, so a test mutating what it got back cannot change later reads.
    return structuredClone(result);
  }
}
