import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileWriter } from './node-file-writer.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dirconn-status-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('nodeFileWriter', () => {
  it('replaces a file atomically and leaves no temp file behind', async () => {
    const dir = tempDir();
    const path = join(dir, 'dirconn.prom');
    writeFileSync(path, 'old\n');
    await nodeFileWriter.writeTextAtomic(path, 'new\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['dirconn.prom']);
  });

  it('fails with the system error code and cleans up when the directory is missing', async () => {
    await expect(nodeFileWriter.writeTextAtomic(join(tempDir(), 'missing', 'x.prom'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('touch creates a missing file and moves an existing one to now', async () => {
    const dir = tempDir();
    const path = join(dir, 'heartbeat');
    await nodeFileWriter.touch(path);
    expect(statSync(path).size).toBe(0);
    utimesSync(path, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    await nodeFileWriter.touch(path);
    expect(Date.now() - statSync(path).mtimeMs).toBeLessThan(60_000);
  });
});
