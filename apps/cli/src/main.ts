/**
 * Runs the CLI: builds the program, parses asynchronously, maps every failure to a documented exit
 * code (never exit 0 on failure) and turns Ctrl-C into a clean cancellation.
 */
import { CommanderError } from 'commander';
import { DirconnError } from '@dirconn/core';
import { buildProgram } from './program.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import type { CliIO } from './output.js';
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
  if (!io) process.once('SIGINT', onSigint);
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      // commander already printed its message on stderr.
      return EXIT.usage;
    }
    context.output().error(error);
    if (DirconnError.is(error)) return exitCodeFor(error.code);
    return EXIT.failure;
  } finally {
    if (!io) process.removeListener('SIGINT', onSigint);
  }
}
