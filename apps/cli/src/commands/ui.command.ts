/**
 * `dirconn ui`: the desktop app's screens in a browser, for servers without a desktop (issue #12).
 * Parses the flags, starts the server that lives with the desktop handlers
 * (`@dirconn/desktop/server`), prints the one-time sign-in URL and serves until Ctrl-C.
 */
import { Command, InvalidArgumentError } from 'commander';
import { serveUi, type ServeUiOptions, type ServingUi } from '@dirconn/desktop/server';
import type { CliContext } from '../context.js';
import { CLI_VERSION } from '../version.js';

interface UiFlags {
  listen: string;
  port?: number;
  tlsCert?: string;
  tlsKey?: string;
  hostName?: string[];
}

function port(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0: any free port).');
  return Number(value);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Builds the command; `serve` is injectable for tests. */
export function uiCommand(ctx: CliContext, serve: (options: ServeUiOptions) => Promise<ServingUi> = serveUi): Command {
  return new Command('ui')
    .description('Serve the desktop app\'s screens to a browser (configure, test, plan, sync, schedule) on this machine')
    .option('--listen <address>', 'address to listen on; anything but loopback needs --tls-cert and --tls-key', '127.0.0.1')
    .option('--port <port>', 'port to listen on (default: a free port)', port)
    .option('--tls-cert <file>', 'PEM certificate (chain) to serve HTTPS')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--host-name <name>', 'another name browsers use to reach a non-loopback --listen (repeatable)', collect)
    .addHelpText(
      'after',
      `
Open the printed URL once: its one-time token is traded for a session cookie (HttpOnly, SameSite=Strict)
and stops working. Requests without the session, from another origin or to another host name are refused.
Each action takes the data directory's lock for its own run, so "dirconn sync" from cron and the browser
never write at the same time (the other one is told the data is in use).

Examples:
  $ dirconn ui                               # http://127.0.0.1:<free port>/auth?token=…
  $ ssh -L 8080:127.0.0.1:8080 server dirconn ui --port 8080     # from your workstation
  $ dirconn ui --listen 0.0.0.0 --port 8443 --tls-cert cert.pem --tls-key key.pem --host-name dirconn.example.com
`,
    )
    .action(async (flags: UiFlags) => {
      const serving = await serve({
        env: ctx.io.env,
        platform: process.platform,
        version: CLI_VERSION,
        logger: ctx.logger(),
        listen: flags.listen,
        ...(flags.port !== undefined ? { port: flags.port } : {}),
        ...(flags.tlsCert !== undefined ? { tlsCertFile: flags.tlsCert } : {}),
        ...(flags.tlsKey !== undefined ? { tlsKeyFile: flags.tlsKey } : {}),
        ...(flags.hostName !== undefined ? { hostNames: flags.hostName } : {}),
      });
      try {
        // The one-time URL is printed once by design (it is how the admin signs in); it is never logged.
        ctx.output().result({ url: serving.server.loginUrl, origin: serving.server.origin }, (r) => `Open this link in a browser (it works once):\n  ${r.url}`);
        ctx.output().info('Serving until Ctrl-C (or SIGTERM).');
        await new Promise<void>((resolve) => {
          if (ctx.abort.signal.aborted) resolve();
          else ctx.abort.signal.addEventListener('abort', () => resolve(), { once: true });
        });
      } finally {
        await serving.close();
      }
    });
}
