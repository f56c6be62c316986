/**
 * A secret value (API key, password, token) whose string, JSON and inspect forms are `***`
 * (STYLE.md §11). Pass `Secret` through config objects, options and logs freely; call `reveal()`
 * only at the one place the value goes on the wire.
 */

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const MASK = '***';

/** Wraps a secret string so that printing, logging or serialising it never shows the value. */
export class Secret {
  readonly #value: string;

  /** @param value the secret text; kept in a private field, never enumerable. */
  constructor(value: string) {
    this.#value = value;
  }

  /** The secret text. Call only where the value is sent to its server. */
  reveal(): string {
    return this.#value;
  }

  /** True when the secret is the empty string (after trimming). */
  get isEmpty(): boolean {
    return this.#value.trim() === '';
  }

  /** Always `***`. */
  toString(): string {
    return MASK;
  }

  /** Always `"***"` in JSON. */
  toJSON(): string {
    return MASK;
  }

  /** Always `***` in `util.inspect` / `console.log`. */
  [INSPECT](): string {
    return MASK;
  }

  /** Always `***` in template literals and string coercion. */
  [Symbol.toPrimitive](): string {
    return MASK;
  }
}
