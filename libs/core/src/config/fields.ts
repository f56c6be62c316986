/**
 * Config field descriptors: one table per section drives `dirconn config <key> [value]`, validation
 * and documentation (and later the desktop form). Every field has a reference-compatible name.
 */
import { DirconnError } from '../errors.js';

/** How a field's text value is parsed. */
export type FieldKind = 'string' | 'boolean' | 'integer' | 'number' | 'url' | 'path' | 'enum' | 'secret' | 'dn' | 'filter';

/** One settable configuration key, e.g. `sync.userFilter`. */
export interface ConfigField {
  /** Full key `<section>.<field>` (the `server` and `directory` keys have no dot). */
  key: string;
  /** Other names accepted for the key (the reference's, e.g. `azure.tenant`); matched case-insensitively. */
  aliases?: readonly string[];
  kind: FieldKind;
  /** One-line description with unit and default, shown by `dirconn config --help` and the README. */
  description: string;
  /** Default value (null when unset). */
  defaultValue: unknown;
  /** Allowed values for `enum`. */
  values?: readonly string[];
  min?: number;
  max?: number;
  /** Secret fields are never stored in the data file; set with --secretenv/--secretfile/prompt. */
  secret?: boolean;
  /** Extra syntactic check; return an error message naming what is expected, or undefined. */
  check?: (value: unknown) => string | undefined;
}

/** Parses the text an admin typed for `field`. Empty text or `null` clears optional strings. */
export function parseFieldValue(field: ConfigField, raw: string): unknown {
  const text = raw.trim();
  const fail = (expected: string): never => {
    throw new DirconnError('config.invalid', `Invalid value "${raw}" for ${field.key}: expected ${expected}.`, {
      hint: `Run "dirconn config ${field.key} <value>" with ${expected}.`,
    });
  };
  if ((text === '' || text === 'null') && field.kind !== 'boolean' && field.kind !== 'integer' && field.kind !== 'number') {
    return null;
  }
  let value: unknown;
  switch (field.kind) {
    case 'boolean':
      if (/^(true|yes|on|1)$/i.test(text)) value = true;
      else if (/^(false|no|off|0)$/i.test(text)) value = false;
      else fail('true or false');
      break;
    case 'integer': {
      if (!/^-?\d+$/.test(text)) fail('a whole number');
      value = Number.parseInt(text, 10);
      break;
    }
    case 'number': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) fail('a number');
      value = n;
      break;
    }
    case 'enum':
      if (!field.values?.includes(text)) fail(`one of ${(field.values ?? []).join(', ')}`);
      value = text;
      break;
    case 'url': {
      let candidate = text;
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(candidate)) candidate = `https://${candidate}`;
      let url: URL;
      try {
        url = new URL(candidate);
      } catch {
        return fail('a URL such as https://vault.example.com');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('an http:// or https:// URL');
      if (url.search || url.hash) fail('a URL without query string or fragment');
      value = candidate.replace(/\/+$/, '');
      break;
    }
    default:
      value = text;
  }
  if (typeof value === 'number') {
    if (field.min !== undefined && value < field.min) fail(`a number of at least ${field.min}`);
    if (field.max !== undefined && value > field.max) fail(`a number of at most ${field.max}`);
  }
  const problem = field.check?.(value);
  if (problem !== undefined) {
    throw new DirconnError('config.invalid', `Invalid value "${raw}" for ${field.key}: ${problem}`, {
      hint: `Run "dirconn config ${field.key} <value>" with a corrected value.`,
    });
  }
  return value;
}
