/**
 * The CLI's lazy factory (gh's cmdutil.Factory idea): commands ask for what they use — output, the
 * platform (the Node composition root), the use-case deps over the opened data directory — and
 * nothing is opened before it is needed.
 */
import { DirconnError, type Logger, type UseCaseDeps, type UseCaseWarning } from '@dirconn/core';
import { createLogger, createNodePlatform, type LogFormat, type LogLevel, type NodePlatform, type WorkspaceOptions } from '@dirconn/node-platform';
import type { Workspace } from '@dirconn/storage';
import { Output, type CliIO } from './output.js';
import { CLI_VERSION } from './version.js';

/** Global flags every command understands. */
export interface GlobalOptions {
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  logFormat?: LogFormat;
  logLevel?: LogLevel;
  logFile?: string;
  /** Rotate the log file at this size, in MiB. */
  logMaxSize?: number;
  /** Rotated log files kept. */
  logMaxFiles?: number;
}

export class CliContext {
  private outputInstance: Output | undefined;
  private platformInstance: NodePlatform | undefined;
  private loggerInstance: Logger | undefined;
  readonly abort = new AbortController();
  /** The id of the sync run going on, put on every log line while it is set. */
  runId: string | undefined;

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

  /**
   * The logger. It may be handed out before the flags are parsed (the platform is built for the help
   * text): the real one is made by {@link startLogging} once they are, or on the first line logged.
   */
  logger(): Logger {
    const current = () => (this.loggerInstance ??= this.buildLogger());
    return {
      debug: (message, fields) => current().debug(message, fields),
      info: (message, fields) => current().info(message, fields),
      warn: (message, fields) => current().warn(message, fields),
      error: (message, fields) => current().error(message, fields),
    };
  }

  /**
   * Builds the logger from the parsed flags (`--log-format`, `--log-level`, `--log-file`, `--verbose`,
   * DIRCONN_DEBUG) before a command runs, so an unwritable log file fails the command at once.
   */
  startLogging(): void {
    this.loggerInstance = this.buildLogger();
  }

  /**
   * True when log lines would only repeat the human messages beside them: text lines on stderr at
   * the default level. Then a run's start, end and failure are not logged (the messages say it).
   */
  logsBesideMessages(): boolean {
    const g = this.globals();
    return (g.logFormat ?? 'text') === 'text' && g.logFile === undefined && g.logLevel === undefined && g.verbose !== true && this.io.env['DIRCONN_DEBUG'] !== 'true';
  }

  private buildLogger(): Logger {
    const g = this.globals();
    const format = g.logFormat ?? 'text';
    const debug = g.verbose === true || this.io.env['DIRCONN_DEBUG'] === 'true';
    // A terminal keeps today's quiet default; a log file or JSON lines (a service) get the runs' info lines.
    const level = g.logLevel ?? (debug ? 'debug' : format === 'json' || g.logFile !== undefined ? 'info' : 'warn');
    const file = g.logFile === undefined ? undefined : {
      path: g.logFile,
      ...(g.logMaxSize !== undefined ? { maxBytes: Math.round(g.logMaxSize * 1024 * 1024) } : {}),
      ...(g.logMaxFiles !== undefined ? { maxFiles: g.logMaxFiles } : {}),
    };
    try {
      return createLogger({ format, level, stream: this.io.stderr, ...(file ? { file } : {}), context: () => (this.runId !== undefined ? { runId: this.runId } : {}) });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new DirconnError('config.invalid', `Cannot open the log file ${g.logFile ?? ''} (${typeof code === 'string' ? code : String(error)}).`, {
        hint: 'Give --log-file a path in an existing directory that the user running dirconn can write to.',
      });
    }
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
