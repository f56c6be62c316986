import { describe, expect, it } from '@jest/globals';
import { createLogger } from './create-logger.js';

function capture(): { stream: { write(text: string): boolean }; lines: () => string[] } {
  let text = '';
  return {
    stream: {
      write: (chunk: string) => {
        text += chunk;
        return true;
      },
    },
    lines: () => text.split('\n').filter((l) => l !== ''),
  };
}

describe('createLogger', () => {
  it('json: one object per line with time, level, message, context and fields; below the level is dropped', () => {
    const out = capture();
    let runId: string | undefined = 'run-1';
    const logger = createLogger({ format: 'json', level: 'info', stream: out.stream, context: () => (runId ? { runId } : {}) });
    logger.debug('hidden');
    logger.info('Sync finished', { outcome: 'synced', requestsPosted: 1 });
    runId = undefined;
    logger.error('Oops');
    const parsed = out.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toEqual({ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), runId: 'run-1', message: 'Sync finished', fields: { outcome: 'synced', requestsPosted: 1 } });
    expect(parsed[1]).toEqual({ level: 'error', time: expect.any(String), message: 'Oops' });
  });

  it('json: secret-looking fields are censored even if a caller slips', () => {
    const out = capture();
    createLogger({ format: 'json', level: 'debug', stream: out.stream }).warn('x', { password: 'hunter2', request: { authorization: 'Bearer abc' } });
    expect(out.lines()[0]).not.toMatch(/hunter2|Bearer abc/);
    expect(JSON.parse(out.lines()[0] ?? '{}')).toMatchObject({ fields: { password: '***', request: { authorization: '***' } } });
  });

  it('text: the same lines as before, with the context among the fields', () => {
    const out = capture();
    const logger = createLogger({ format: 'text', level: 'warn', stream: out.stream, context: () => ({ runId: 'r2' }) });
    logger.info('hidden');
    logger.warn('Careful', { n: 1 });
    expect(out.lines()).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN Careful \{"runId":"r2","n":1\}$/)]);
  });
});
