/**
 * Active Directory value encodings: objectGUID bytes ↔ GUID text (reference §6.1.3) and the
 * userAccountControl disabled flag. Pure, no I/O.
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * AD objectGUID bytes → GUID text (reference §6.1.3): bytes 0–3, 4–5 and 6–7 reversed (Microsoft
 * mixed-endian layout), 8–15 as stored, lower-case 8-4-4-4-12. Getting this wrong re-creates every
 * member, so it is pinned by a unit test with the reference example.
 */
export function guidToString(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`objectGUID must be 16 bytes, got ${bytes.length}`);
  const h = (i: number): string => HEX[bytes[i] ?? 0] ?? '00';
  return (
    `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-` +
    `${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`
  );
}

/** GUID text → the 16 objectGUID bytes as AD stores them (inverse of guidToString), or null. */
export function guidToBytes(text: string): Buffer | null {
  const t = text.trim().replace(/^\{|\}$/g, '');
  if (!GUID_TEXT.test(t)) return null;
  const hex = t.replace(/-/g, '');
  const b = Buffer.from(hex, 'hex');
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(order.map((i) => b[i] ?? 0));
}

/** True when `text` is GUID text (8-4-4-4-12 hex, optional braces). */
export function isGuidText(text: string): boolean {
  return GUID_TEXT.test(text.trim().replace(/^\{|\}$/g, ''));
}

/** userAccountControl bit 2 (ACCOUNTDISABLE) is set. Missing or unparsable → not disabled. */
export function isDisabledByUac(value: string | null): boolean {
  if (value === null) return false;
  const flags = Number.parseInt(value.trim(), 10);
  return Number.isFinite(flags) && (flags & 2) === 2;
}

/** Spellings of objectGUID to request as raw bytes (ldapts decodes only listed names as binary). */
export const GUID_BINARY = ['objectGUID', 'objectguid', 'ObjectGUID', 'OBJECTGUID'];
