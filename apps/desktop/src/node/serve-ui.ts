/**
 * `dirconn ui` in one call: checks the listen address (loopback, or TLS given), builds the desktop
 * API over the Node composition root with face `browser`, and starts the HTTP server. The CLI
 * command only parses flags, prints the URL and waits; everything else lives here, next to the
 * handlers the Electron app uses.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { DirconnError, type Logger } from '@dirconn/core';
import { createDesktopApi } from './desktop-api.js';
import { defaultRendererDir } from './static-files.js';
import { startUiServer, type RunningUiServer } from './ui-server.js';
import { assertListenAllowed, isLoopbackAddress } from './ui-security.js';

/** Options of {@link serveUi}. */
export interface ServeUiOptions {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  version: string;
  logger: Logger;
  /** Address to listen on (default 127.0.0.1). */
  listen?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** PEM files; both or neither. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Extra host names a browser may use for a non-loopback listener (this machine's name is added). */
  hostNames?: readonly string[];
  /** The built renderer (default `apps/desktop/dist/renderer`). */
  rendererDir?: string | null;
}

/** A running `dirconn ui`. */
export interface ServingUi {
  server: RunningUiServer;
  /** Stops the server and the schedule's timer. */
  close(): Promise<void>;
}

function readPem(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new DirconnError('usage', `Cannot read ${flag} ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`, { hint: `Give a readable PEM file to ${flag}.` });
  }
}

/** Starts `dirconn ui`. */
export async function serveUi(options: ServeUiOptions): Promise<ServingUi> {
  const listen = options.listen ?? '127.0.0.1';
  if ((options.tlsCertFile === undefined) !== (options.tlsKeyFile === undefined)) {
    throw new DirconnError('usage', '--tls-cert and --tls-key go together.', { hint: 'Give both PEM files, or neither to listen on loopback only.' });
  }
  const tls = options.tlsCertFile !== undefined && options.tlsKeyFile !== undefined ? { cert: readPem(options.tlsCertFile, '--tls-cert'), key: readPem(options.tlsKeyFile, '--tls-key') } : undefined;
  assertListenAllowed(listen, tls !== undefined);
  const hostNames = isLoopbackAddress(listen) ? [...(options.hostNames ?? [])] : [...(options.hostNames ?? []), hostname()];
  const api = await createDesktopApi({ face: 'browser', env: options.env, platform: options.platform, version: options.version, logger: options.logger });
  try {
    const server = await startUiServer({
      call: api.call,
      rendererDir: options.rendererDir === undefined ? defaultRendererDir() : options.rendererDir,
      listen,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(tls ? { tls } : {}),
      hostNames,
      logger: options.logger,
    });
    return {
      server,
      close: async () => {
        api.dispose();
        await server.close();
      },
    };
  } catch (error) {
    api.dispose();
    throw error;
  }
}
