/**
 * The commander program: global options, one command per file, help topics. No logic here.
 */
import { Command, Option } from 'commander';
import { LOG_FORMATS, LOG_LEVELS } from '@dirconn/node-platform';
import { CliContext, type GlobalOptions } from './context.js';
import { positiveInteger, positiveNumber } from './commands/shared.js';
import type { CliIO } from './output.js';
import { CLI_VERSION } from './version.js';
import { EXIT_CODE_TABLE } from './exit-codes.js';
import { environmentTable } from './environment.js';
import { loginCommand } from './commands/login.command.js';
import { logoutCommand } from './commands/logout.command.js';
import { configCommand } from './commands/config.command.js';
import { testCommand } from './commands/test.command.js';
import { planCommand } from './commands/plan.command.js';
import { syncCommand } from './commands/sync.command.js';
import { explainCommand } from './commands/explain.command.js';
import { reportCommand } from './commands/report.command.js';
import { lastSyncCommand } from './commands/last-sync.command.js';
import { dataFileCommand } from './commands/data-file.command.js';
import { clearCacheCommand } from './commands/clear-cache.command.js';
import { uiCommand } from './commands/ui.command.js';
import { importBwdcCommand } from './commands/import-bwdc.command.js';

export function buildProgram(io: CliIO): { program: Command; context: CliContext } {
  const program = new Command('dirconn');
  const context = new CliContext(io, () => program.opts<GlobalOptions>());
  program
    .description('Keep a Bitwarden organization\'s members and groups in step with your directory (Active Directory, LDAP, …).')
    .version(CLI_VERSION, '-v, --version', 'print the version')
    .option('--json', 'print exactly one JSON document on stdout (errors as {"error": {...}})')
    .option('--no-color', 'no colour in human output (also NO_COLOR)')
    .option('-q, --quiet', 'no progress or informational messages on stderr')
    .option('--verbose', 'debug logs with timestamps on stderr (also DIRCONN_DEBUG=true)')
    .addOption(new Option('--log-format <format>', 'log lines as text or json (one JSON object per line: time, level, message, runId, fields)').choices(LOG_FORMATS).default('text'))
    .addOption(new Option('--log-level <level>', 'lowest level logged (default: warn on a terminal; info with --log-file or json; debug with --verbose)').choices(LOG_LEVELS))
    .option('--log-file <path>', 'write log lines to this file instead of stderr, rotated by size')
    .option('--log-max-size <MiB>', 'rotate the log file when it reaches this size', positiveNumber, 10)
    .option('--log-max-files <n>', 'rotated log files kept (<file>.1 … <file>.<n>)', positiveInteger, 5)
    .showHelpAfterError('(run "dirconn --help" for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .hook('preAction', () => context.startLogging())
    .addHelpText(
      'after',
      `
Typical first run:
  $ dirconn config directory ldap
  $ dirconn config ldap.hostname dc1.example.com
  $ DIRCONN_LDAP_PASSWORD_FILE=/run/secrets/ldap dirconn config ldap.password --secretenv DIRCONN_LDAP_PASSWORD
  $ BW_CLIENTID=organization.… BW_CLIENTSECRET=… dirconn login
  $ dirconn test            # who would sync, directory side
  $ dirconn plan            # what would change in the organization
  $ dirconn sync            # do it

Exit codes:
${EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padEnd(4)} ${meaning}`).join('\n')}

Environment:
${environmentTable(context.platform().secretBindings).map(([name, meaning]) => `  ${name.padEnd(28)} ${meaning}`).join('\n')}
`,
    );

  for (const make of [
    loginCommand,
    logoutCommand,
    configCommand,
    testCommand,
    planCommand,
    syncCommand,
    explainCommand,
    reportCommand,
    lastSyncCommand,
    dataFileCommand,
    clearCacheCommand,
    importBwdcCommand,
    uiCommand,
  ]) {
    const command = make(context);
    command.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
    program.addCommand(command);
  }
  return { program, context };
}

