// The fake Okta's `filter` and `search` expression grammar (directory-apis.md §4.2, a subset):
//   expr := and ('or' and)* ; and := term ('and' term)* ; term := '(' expr ')' | <property> <op> <value>
// `filter` allows only the listed properties and `eq` (plus gt/ge/lt/le on the time properties);
// `search` allows any property and also `sw` and `co`. Values are double-quoted strings (or true,
// false, numbers). Anything else throws FilterError (the fake answers 400 E0000031).
// Test-only.

/** A bad expression. */
export class FilterError extends Error {}

type Token = { kind: 'word' | 'string' | 'open' | 'close'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', text: c });
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        value += text[i] ?? '';
        i++;
      }
      if (i >= text.length) throw new FilterError('unterminated string');
      i++;
      tokens.push({ kind: 'string', text: value });
    } else {
      const m = /^[^\s()"]+/.exec(text.slice(i));
      tokens.push({ kind: 'word', text: m?.[0] ?? c });
      i += m?.[0].length ?? 1;
    }
  }
  return tokens;
}

/** What an expression may use. */
export interface FilterRules {
  /** Allowed properties; null = any (search). */
  properties: readonly string[] | null;
  /** Properties compared as times, which also allow gt/ge/lt/le. */
  timeProperties: readonly string[];
  /** Extra operators on any property (search: sw, co). */
  extraOperators: readonly string[];
}

/** A compiled predicate over an object read by dotted property path. */
export type Predicate = (get: (property: string) => unknown) => boolean;

/** Compiles an expression. @throws FilterError */
export function compileFilter(text: string, rules: FilterRules): Predicate {
  const tokens = tokenize(text);
  let pos = 0;
  const peekWord = (): string | undefined => (tokens[pos]?.kind === 'word' ? tokens[pos]?.text : undefined);
  const term = (): Predicate => {
    const token = tokens[pos];
    if (token === undefined) throw new FilterError('unexpected end');
    if (token.kind === 'open') {
      pos++;
      const inner = orExpr();
      if (tokens[pos]?.kind !== 'close') throw new FilterError('missing )');
      pos++;
      return inner;
    }
    if (token.kind !== 'word') throw new FilterError(`unexpected ${token.text}`);
    const property = token.text;
    const op = tokens[pos + 1]?.text.toLowerCase();
    const valueToken = tokens[pos + 2];
    pos += 3;
    if (op === undefined || valueToken === undefined) throw new FilterError('incomplete comparison');
    if (rules.properties !== null && !rules.properties.includes(property)) throw new FilterError(`property ${property} is not filterable`);
    const isTime = rules.timeProperties.includes(property);
    const allowed = ['eq', ...(isTime ? ['gt', 'ge', 'lt', 'le'] : []), ...rules.extraOperators];
    if (!allowed.includes(op)) throw new FilterError(`operator ${op} is not supported on ${property}`);
    const value = valueToken.kind === 'string' ? valueToken.text : valueToken.text;
    if (isTime && op !== 'eq' && Number.isNaN(Date.parse(value))) throw new FilterError(`${value} is not a time`);
    return (get) => {
      const actual = get(property);
      if (actual === undefined || actual === null) return false;
      const a = typeof actual === 'string' ? actual : JSON.stringify(actual);
      switch (op) {
        case 'eq':
          return a === value;
        case 'sw':
          return a.startsWith(value);
        case 'co':
          return a.includes(value);
        default: {
          const x = Date.parse(a);
          const y = Date.parse(value);
          return op === 'gt' ? x > y : op === 'ge' ? x >= y : op === 'lt' ? x < y : x <= y;
        }
      }
    };
  };
  const andExpr = (): Predicate => {
    const parts = [term()];
    while (peekWord()?.toLowerCase() === 'and') {
      pos++;
      parts.push(term());
    }
    return (get) => parts.every((p) => p(get));
  };
  const orExpr = (): Predicate => {
    const parts = [andExpr()];
    while (peekWord()?.toLowerCase() === 'or') {
      pos++;
      parts.push(andExpr());
    }
    return (get) => parts.some((p) => p(get));
  };
  const predicate = orExpr();
  if (pos !== tokens.length) throw new FilterError(`unexpected ${tokens[pos]?.text ?? ''}`);
  return predicate;
}

/** Reads a dotted path (`profile.email`) of an object. */
export function readPath(object: unknown, path: string): unknown {
  let value: unknown = object;
  for (const part of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

export const USER_FILTER_RULES: FilterRules = {
  properties: ['status', 'lastUpdated', 'id', 'profile.login', 'profile.email', 'profile.firstName', 'profile.lastName'],
  timeProperties: ['lastUpdated'],
  extraOperators: [],
};
export const GROUP_FILTER_RULES: FilterRules = { properties: ['id', 'type', 'lastUpdated', 'lastMembershipUpdated'], timeProperties: ['lastUpdated', 'lastMembershipUpdated'], extraOperators: [] };
export const SEARCH_RULES: FilterRules = { properties: null, timeProperties: ['lastUpdated', 'lastMembershipUpdated', 'created'], extraOperators: ['sw', 'co'] };
