import { describe, expect, it } from '@jest/globals';
import { writeJsonDocument } from './json-writer.js';

function written(value: unknown, prettyLimit?: number): { text: string; chunks: number } {
  const chunks: string[] = [];
  writeJsonDocument(value, (chunk) => chunks.push(chunk), prettyLimit === undefined ? {} : { prettyLimit });
  return { text: chunks.join(''), chunks: chunks.length };
}

describe('writeJsonDocument', () => {
  const big = {
    version: 1,
    skipped: undefined,
    users: Array.from({ length: 5000 }, (_, i) => ({ externalId: `u${i}`, email: `u${i}@example.com`, deleted: i % 7 === 0, note: i % 3 === 0 ? undefined : 'x' })),
    groups: Array.from({ length: 300 }, (_, i) => ({ name: `G "${i}"`, ids: Array.from({ length: 100 }, (_, j) => `u${j}`), nested: { a: [1, 2, { b: null }] } })),
    sparse: [undefined, () => 1, 'é\u2028\n'],
    date: new Date(0),
    '1': 'integer key first',
  };

  it('writes exactly JSON.stringify(value) in chunks when the document is large', () => {
    const { text, chunks } = written(big, 1000);
    expect(text).toBe(`${JSON.stringify(big)}\n`);
    expect(chunks).toBeGreaterThan(3);
  });

  it('indents small documents as before', () => {
    const small = { outcome: 'synced', summary: { invites: 1 }, list: [1, 2, 3] };
    expect(written(small).text).toBe(`${JSON.stringify(small, null, 2)}\n`);
    expect(written(big).text).toBe(`${JSON.stringify(big, null, 2)}\n`);
    expect(written(null).text).toBe('null\n');
  });

  it('is always compact with prettyLimit 0', () => {
    const small = { a: [1], b: 'c' };
    expect(written(small, 0).text).toBe(`${JSON.stringify(small)}\n`);
  });
});
