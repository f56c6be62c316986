/** `dirconn ui` at parse level: flags reach the server module, the URL is printed, Ctrl-C stops it, bad binds are refused. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ServeUiOptions, ServingUi } from '@dirconn/desktop/server';
import { Command } from 'commander';
import { CliContext } from '../context.js';
import { main } from '../main.js';
import type { CliIO } from '../output.js';
import { uiCommand } from './ui.command.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'dirconn-ui-cmd-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function streams(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: { DIRCONN_DATA_DIR: dataDir } };
}

describe('dirconn ui', () => {
  it('passes the flags to the server, prints the one-time URL, and closes on Ctrl-C', async () => {
    const io = streams();
    const ctx = new CliContext(io, () => ({}));
    const seen: ServeUiOptions[] = [];
    let closed = false;
    const fake = async (options: ServeUiOptions): Promise<ServingUi> => {
      seen.push(options);
      return { server: { origin: 'http://127.0.0.1:8080', loginUrl: 'http://127.0.0.1:8080/auth?token=abc', port: 8080, close: async () => undefined }, close: async () => void (closed = true) };
    };
    const program = new Command('dirconn').exitOverride().addCommand(uiCommand(ctx, fake));
    const running = program.parseAsync(['node', 'dirconn', 'ui', '--port', '8080', '--host-name', 'a.example', '--host-name', 'b.example']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(io.out.join('')).toContain('http://127.0.0.1:8080/auth?token=abc');
    expect(closed).toBe(false);
    ctx.abort.abort();
    await running;
    expect(closed).toBe(true);
    expect(seen[0]).toMatchObject({ listen: '127.0.0.1', port: 8080, hostNames: ['a.example', 'b.example'] });
    expect(seen[0]).not.toHaveProperty('tlsCertFile');
  });

  it.each([
    [['ui', '--listen', '0.0.0.0'], /only with TLS/],
    [['ui', '--listen', '192.0.2.1', '--tls-cert', '/nonexistent.pem'], /go together/],
    [['ui', '--port', '70000'], /port number/],
  ])('refuses %j with a usage error (exit 2)', async (args, message) => {
    const io = streams();
    const code = await main(['node', 'dirconn', ...args], io);
    expect(code).toBe(2);
    expect(io.err.join('')).toMatch(message);
    expect(io.out.join('')).not.toContain('token=');
  });
});
