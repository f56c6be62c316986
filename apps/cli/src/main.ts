/**
 * Runs the CLI: builds the program, parses asynchronously, maps every failure to a documented exit
 * code (never exit 0 on failure) and turns Ctrl-C and SIGTERM (systemd, docker stop) into a clean
 * cancellation: the running command stops at its next safe point and releases the store lock.
 */
import { CommanderError } from 'commander';
import { DirconnError } from '@dirconn/core';
import { buildProgram } from './program.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { Output, type CliIO } from './output.js';
import { terminalPrompt } from './prompt.js';

/** Entry used by bin/dirconn.js; returns the exit code. */
export async function main(argv: string[], io?: CliIO): Promise<number> {
  const cliIO: CliIO = io ?? {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    ...(process.stdin.isTTY ? { prompt: terminalPrompt } : {}),
  };
  const { program, context } = buildProgram(cliIO);
  const onSigint = () => context.abort.abort();
  if (!io) {
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigint);
    process.stdout.on('error', ignoreClosedPipe);
    process.stderr.on('error', ignoreClosedPipe);
  }
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      // commander already printed its message on stderr; --json promises one JSON document on stdout
      // for errors too, so usage errors (unknown option, bad argument) get one as well.
      if (wantsJson(program.opts<{ json?: boolean }>().json, argv)) {
        const message = error.message.replace(/^error:\s*/i, '');
        new Output(cliIO, { json: true, color: false, quiet: false }).error(
          new DirconnError('usage', message.charAt(0).toUpperCase() + message.slice(1), { hint: 'Run "dirconn --help" (or "dirconn <command> --help") for usage.' }),
        );
      }
      return EXIT.usage;
    }
    context.output().error(error);
    if (DirconnError.is(error)) return exitCodeFor(error.code);
    return EXIT.failure;
  } finally {
    if (!io) {
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigint);
    }
  }
}

/**
 * `dirconn … | head` closes the pipe before the output ends: the rest of the output has no reader,
 * which is not a failure of the command (no stack trace, the command finishes as it would).
 */
export function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

/**
 * True when the output must be JSON: the parsed global flag, or `--json` among the arguments when
 * parsing stopped before it was read (a usage error in a subcommand).
 */
function wantsJson(parsed: boolean | undefined, argv: string[]): boolean {
  if (parsed === true) return true;
  const args = argv.slice(2);
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}
