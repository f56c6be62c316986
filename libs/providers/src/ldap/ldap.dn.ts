/**
 * DN comparison (reference §6.1.5, with its exact-string quirk fixed): normalisation, "is this value
 * a DN", and "is this DN under that base". Pure, no I/O.
 */

const DN_SPECIAL = new Set([',', '+', '"', '\\', '<', '>', ';', '=']);

/**
 * Normalises a DN for comparison only (RFC 4514-ish): attribute types and values lower-cased, blanks
 * around `,` `=` `+` removed, escapes canonicalised (`\2C` and `\,` compare equal). So
 * `CN=Roland Dyke, DC=bitwarden, DC=com` equals `cn=roland dyke,dc=bitwarden,dc=com`. The reference
 * compares DNs as exact strings (§6.1.5 quirk) and mistakes such members for child groups.
 */
export function normalizeDn(dn: string): string {
  // Hot path (every user DN and every member value): one scan decides whether anything but
  // lower-casing is needed; only DNs with escapes, quotes or blanks next to separators pay more.
  let plain = true;
  for (let i = 0; i < dn.length; i++) {
    const c = dn.charCodeAt(i);
    if (c === 0x5c || c === 0x22) return normalizeEscapedDn(dn); // \ "
    if (c <= 0x20) {
      const prev = dn.charCodeAt(i - 1);
      const next = dn.charCodeAt(i + 1);
      if (i === 0 || i === dn.length - 1 || prev === 0x2c || prev === 0x3d || prev === 0x2b || next === 0x2c || next === 0x3d || next === 0x2b || next <= 0x20) plain = false;
    }
  }
  return plain ? dn.toLowerCase() : dn.trim().replace(/\s*([,=+])\s*/g, '$1').toLowerCase();
}

function normalizeEscapedDn(dn: string): string {
  const rdns: string[] = [];
  let avas: string[] = [];
  let i = 0;
  const n = dn.length;
  const skipSpaces = (): void => {
    while (i < n && dn[i] === ' ') i++;
  };
  while (i < n) {
    skipSpaces();
    let type = '';
    while (i < n && dn[i] !== '=' && dn[i] !== ',' && dn[i] !== '+') type += dn[i++];
    if (dn[i] === '=') i++;
    skipSpaces();
    const bytes: number[] = [];
    let lastSignificant = 0; // bytes.length after the last escaped or non-space character
    let quoted = false;
    if (dn[i] === '"') {
      quoted = true;
      i++;
    }
    while (i < n) {
      const c = dn[i] ?? '';
      if (quoted) {
        if (c === '"') {
          i++;
          quoted = false;
          lastSignificant = bytes.length;
          continue;
        }
      } else if (c === ',' || c === '+' || c === ';') {
        break;
      }
      if (c === '\\' && i + 1 < n) {
        const pair = dn.slice(i + 1, i + 3);
        if (/^[0-9a-fA-F]{2}$/.test(pair)) {
          bytes.push(Number.parseInt(pair, 16));
          i += 3;
        } else {
          for (const b of Buffer.from(dn[i + 1] ?? '', 'utf8')) bytes.push(b);
          i += 2;
        }
        lastSignificant = bytes.length;
        continue;
      }
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      i++;
      if (c !== ' ' || quoted) lastSignificant = bytes.length;
    }
    const value = Buffer.from(bytes.slice(0, lastSignificant)).toString('utf8').toLowerCase();
    avas.push(`${type.trim().toLowerCase()}=${escapeDnValue(value)}`);
    const sep = dn[i];
    i++;
    if (sep !== '+') {
      rdns.push(avas.join('+'));
      avas = [];
    }
  }
  if (avas.length > 0) rdns.push(avas.join('+'));
  return rdns.join(',');
}

function escapeDnValue(value: string): string {
  let out = '';
  for (let k = 0; k < value.length; k++) {
    const c = value[k] ?? '';
    if (DN_SPECIAL.has(c) || (k === 0 && (c === '#' || c === ' ')) || (k === value.length - 1 && c === ' ')) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** Reference §6.1.5: a member value containing both `=` and `,` is a DN; anything else is a uid. */
export function isDnLike(value: string): boolean {
  return value.includes('=') && value.includes(',');
}

/** True when `dn` is `base` or lies below it (both normalised first). */
export function isUnder(dn: string, base: string): boolean {
  const d = normalizeDn(dn);
  const b = normalizeDn(base);
  return d === b || d.endsWith(`,${b}`);
}
