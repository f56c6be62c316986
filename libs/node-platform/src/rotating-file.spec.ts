import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingFile } from './rotating-file.js';

const dirs: string[] = [];
function tempLog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dirconn-log-'));
  dirs.push(dir);
  return join(dir, 'dirconn.log');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('RotatingFile', () => {
  it('appends lines, rotates by size and keeps maxFiles old files', () => {
    const path = tempLog();
    const file = new RotatingFile(path, { maxBytes: 20, maxFiles: 2 });
    for (const n of [1, 2, 3, 4, 5, 6, 7]) file.write(`line ${n} 123456\n`); // 14 bytes each: one line per file
    file.close();
    expect(readFileSync(path, 'utf8')).toBe('line 7 123456\n');
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('line 6 123456\n');
    expect(readFileSync(`${path}.2`, 'utf8')).toBe('line 5 123456\n');
    expect(readdirSync(join(path, '..')).sort()).toEqual(['dirconn.log', 'dirconn.log.1', 'dirconn.log.2']);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('continues an existing file and counts its size', () => {
    const path = tempLog();
    const first = new RotatingFile(path, { maxBytes: 30 });
    first.write('0123456789012345678901234\n');
    first.close();
    const second = new RotatingFile(path, { maxBytes: 30 });
    second.write('next\n');
    second.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('0123456789012345678901234\n');
    expect(readFileSync(path, 'utf8')).toBe('next\n');
  });

  it('throws when the file cannot be opened', () => {
    expect(() => new RotatingFile(join(tempLog(), 'no-such-dir', 'x.log'))).toThrow(/ENOENT|ENOTDIR/);
  });
});
