import { describe, expect, it } from '@jest/globals';
import type { FetchRange } from './ldap.ranged.js';
import { collectRangedValues, findRangedAttribute, parseRangedAttribute } from './ldap.ranged.js';

const member = (i: number): string => `CN=User ${i},OU=Staff,DC=corp,DC=example`;
const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, k) => member(from + k));

/** Replays AD's answers for a 5000-member group with MaxValRange 1500. */
function adReplay(total: number, chunk = 1500): { first: Record<string, string[]>; fetch: FetchRange; asked: number[] } {
  const asked: number[] = [];
  const name = (start: number): string => {
    const end = start + chunk - 1;
    return end >= total - 1 ? `member;range=${start}-*` : `member;range=${start}-${end}`;
  };
  const slice = (start: number): string[] => range(start, Math.min(start + chunk, total) - 1);
  return {
    first: { [name(0)]: slice(0) },
    asked,
    fetch: async (dn, attribute, start) => {
      expect(dn).toBe('CN=Big,DC=corp,DC=example');
      expect(attribute).toBe('member');
      asked.push(start);
      return Promise.resolve({ [name(start)]: slice(start) });
    },
  };
}

describe('ranged attributes', () => {
  it('parses range descriptions', () => {
    expect(parseRangedAttribute('member;range=0-1499')).toEqual({ attribute: 'member', start: 0, end: 1499 });
    expect(parseRangedAttribute('Member;Range=1500-*')).toEqual({ attribute: 'Member', start: 1500, end: null });
    expect(parseRangedAttribute('member')).toBeUndefined();
    expect(findRangedAttribute({ dn: 'x', 'member;range=0-1499': [] }, 'MEMBER')?.name).toBe('member;range=0-1499');
  });

  it('collects 5000 members over the first chunk and 3 follow-up pages', async () => {
    const replay = adReplay(5000);
    const found = findRangedAttribute(replay.first, 'member');
    expect(found).toBeDefined();
    const values = await collectRangedValues('CN=Big,DC=corp,DC=example', 'member', { range: found!.range, values: replay.first[found!.name] }, replay.fetch);
    expect(replay.asked).toEqual([1500, 3000, 4500]);
    expect(values).toHaveLength(5000);
    expect(values[0]).toBe(member(0));
    expect(values[4999]).toBe(member(4999));
    expect(new Set(values).size).toBe(5000);
  });

  it('needs no follow-up when the first chunk already ends in *', async () => {
    const values = await collectRangedValues('CN=Big,DC=corp,DC=example', 'member', { range: { attribute: 'member', start: 0, end: null }, values: range(0, 9) }, () => {
      throw new Error('must not fetch');
    });
    expect(values).toHaveLength(10);
  });

  it('accepts an empty non-ranged final reply as the end', async () => {
    const values = await collectRangedValues('CN=Big,DC=corp,DC=example', 'member', { range: { attribute: 'member', start: 0, end: 1 }, values: range(0, 1) }, () => Promise.resolve({}));
    expect(values).toHaveLength(2);
  });

  it('fails the read on an out-of-order chunk, a vanished entry or a non-ranged reply with values', async () => {
    const first = { range: { attribute: 'member', start: 0, end: 1499 }, values: range(0, 1499) };
    await expect(collectRangedValues('CN=Big', 'member', first, () => Promise.resolve({ 'member;range=1400-*': range(1400, 1500) }))).rejects.toMatchObject({ code: 'provider.incomplete-read' });
    await expect(collectRangedValues('CN=Big', 'member', first, () => Promise.resolve(undefined))).rejects.toMatchObject({ code: 'provider.incomplete-read' });
    await expect(collectRangedValues('CN=Big', 'member', first, () => Promise.resolve({ member: ['x'] }))).rejects.toThrow(/not ranged/);
    await expect(collectRangedValues('CN=Big', 'member', { ...first, range: { attribute: 'member', start: 5, end: 9 } }, () => Promise.resolve({}))).rejects.toThrow(/starts at 5/);
  });

  it('propagates a failing fetch (never a partial member list)', async () => {
    const first = { range: { attribute: 'member', start: 0, end: 1499 }, values: range(0, 1499) };
    await expect(collectRangedValues('CN=Big', 'member', first, () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
  });
});
