/** An in-memory `SecretStore` for tests. */
import type { SecretOverride, SecretStore } from '../ports.js';

/** SecretStore kept in a Map. */
export class MemorySecretStore implements SecretStore {
  readonly description = 'in-memory secret store (tests)';
  private readonly values = new Map<string, string>();
  private readonly overrides = new Map<string, SecretOverride>();

  /** Optionally seeded with `{account: secret}`. */
  constructor(initial: Record<string, string> = {}) {
    for (const [account, value] of Object.entries(initial)) this.values.set(account, value);
  }

  get(account: string): Promise<string | null> {
    return Promise.resolve(this.values.get(account) ?? null);
  }

  set(account: string, value: string): Promise<void> {
    this.values.set(account, value);
    return Promise.resolve();
  }

  delete(account: string): Promise<void> {
    this.values.delete(account);
    return Promise.resolve();
  }

  /** Pretends an environment override supplies `account` (its value is whatever is stored). */
  setOverride(account: string, override: SecretOverride): void {
    this.overrides.set(account, override);
  }

  overrideFor(account: string): SecretOverride | null {
    return this.overrides.get(account) ?? null;
  }

  /** Accounts currently stored, sorted (for assertions). */
  accounts(): string[] {
    return [...this.values.keys()].sort();
  }
}
