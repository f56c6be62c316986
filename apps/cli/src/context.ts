/**
 * The CLI's lazy factory (gh's cmdutil.Factory idea): commands ask for what they use — output, the
 * platform (the Node composition root), the use-case deps over the opened data directory — and
 * nothing is opened before it is needed.
 */
import type { Logger, UseCaseDeps, UseCaseWarning } from '@dirconn/core';
import { createNodePlatform, streamLogger, type NodePlatform, type WorkspaceOptions } from '@dirconn/node-platform';
import type { Workspace } from '@dirconn/storage';
import { Output, type CliIO } from './output.js';
import { CLI_VERSION } from './version.js';

/** Global flags every command understands. */
export interface GlobalOptions {
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export class CliContext {
  private outputInstance: Output | undefined;
  private platformInstance: NodePlatform | undefined;
  readonly abort = new AbortController();

  constructor(
    readonly io: CliIO,
    private readonly globals: () => GlobalOptions,
  ) {}

  get env(): Record<string, string | undefined> {
    return this.io.env;
  }

  output(): Output {
    if (!this.outputInstance) {
      const g = this.globals();
      const json = g.json === true;
      const color = g.color !== false && !json && this.io.stderr.isTTY === true && this.io.env['NO_COLOR'] === undefined;
      this.outputInstance = new Output(this.io, { json, color, quiet: g.quiet === true });
    }
    return this.outputInstance;
  }

  /** The logger; `--verbose` is read when a line is logged, so it may be built before the flags are parsed. */
  logger(): Logger {
    const current = () => streamLogger({ stream: this.io.stderr, verbose: this.globals().verbose === true, env: this.io.env });
    return {
      debug: (message, fields) => current().debug(message, fields),
      info: (message, fields) => current().info(message, fields),
      warn: (message, fields) => current().warn(message, fields),
      error: (message, fields) => current().error(message, fields),
    };
  }

  /** The Node composition root for this run. */
  platform(): NodePlatform {
    this.platformInstance ??= createNodePlatform({ env: this.io.env, platform: process.platform, clientVersion: CLI_VERSION, logger: this.logger() });
    return this.platformInstance;
  }

  /** Opens the data directory (holding the lock unless `lock: false`) and runs `fn` with the use-case deps. */
  withDeps<T>(command: string, fn: (deps: UseCaseDeps, workspace: Workspace) => Promise<T>, options: WorkspaceOptions = {}): Promise<T> {
    return this.platform().withWorkspace(command, fn, options);
  }

  /** Prints a use case's warnings on stderr. */
  warn(warnings: readonly UseCaseWarning[]): void {
    for (const warning of warnings) this.output().warn(warning.message);
  }
}
