/**
 * Reads a secret from where the admin pointed: an environment variable (--secretenv), a file
 * (--secretfile, first line), or a hidden prompt. Never from argv.
 */
import { readFileSync } from 'node:fs';
import { DirconnError } from '@dirconn/core';
import type { CliIO } from '../output.js';

export interface SecretInputOptions {
  secretenv?: string;
  secretfile?: string;
}

export async function readSecretInput(io: CliIO, options: SecretInputOptions, what: string, fallbackEnv?: string): Promise<string> {
  if (options.secretenv && options.secretfile) {
    throw new DirconnError('usage', 'Use either --secretenv or --secretfile, not both.');
  }
  if (options.secretfile) {
    let text: string;
    try {
      text = readFileSync(options.secretfile, 'utf8');
    } catch (error) {
      throw new DirconnError('usage', `Cannot read the secret file ${options.secretfile}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}.`, {
        hint: 'Give a readable file whose first line is the secret.',
      });
    }
    const first = text.split(/\r?\n/, 1)[0]?.trim() ?? '';
    if (first === '') throw new DirconnError('usage', `The secret file ${options.secretfile} is empty.`, { hint: 'Its first line must be the secret.' });
    return first;
  }
  const envName = options.secretenv ?? fallbackEnv;
  if (envName) {
    const value = io.env[envName];
    if (value !== undefined && value !== '') return value;
    if (options.secretenv) {
      throw new DirconnError('usage', `The environment variable ${envName} is not set or empty.`, { hint: `Export ${envName} with the ${what} before running the command.` });
    }
  }
  if (!io.prompt) {
    throw new DirconnError('usage', `No ${what} given and no terminal to ask for it.`, {
      hint: `Pass it with --secretenv <VAR> or --secretfile <file>${fallbackEnv ? ` (or set ${fallbackEnv})` : ''}; secrets are never accepted as command-line arguments.`,
    });
  }
  const answer = (await io.prompt(`${what}: `, { hidden: true })).trim();
  if (answer === '') throw new DirconnError('usage', `No ${what} entered.`);
  return answer;
}
