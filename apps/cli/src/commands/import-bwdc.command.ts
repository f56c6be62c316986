/**
 * `dirconn import-bwdc [PATH]` (issue #13 item 6): take over a Bitwarden Directory Connector
 * installation. Resolves bwdc's data directory when no path is given, reads bwdc's keychain through
 * the keychain adapter, calls the `importBwdc` use case and renders what it took and what it could not.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { BWDC_TYPE_NAMES, importBwdc, settingText, type BwdcKeychain, type ImportBwdcResult } from '@dirconn/core';
import { BWDC_KEYCHAIN_SERVICE, KeychainSecretStore, resolveBwdcDataDir } from '@dirconn/storage';
import type { CliContext } from '../context.js';

interface ImportFlags {
  dryRun?: boolean;
  force?: boolean;
  keychain: boolean;
}

export function importBwdcCommand(ctx: CliContext): Command {
  return new Command('import-bwdc')
    .description('Take over a Bitwarden Directory Connector (bwdc) configuration, its secrets and its last sync state')
    .argument('[path]', "bwdc's data.json or its folder (default: bwdc's data directory for this user; BITWARDENCLI_CONNECTOR_APPDATA_DIR is honoured)")
    .option('--dry-run', 'show what would be imported; save nothing')
    .option('--force', 'replace an existing dirconn configuration, login and sync state')
    .option('--no-keychain', "do not read bwdc's keychain entries")
    .addHelpText(
      'after',
      `
The bwdc file is only read, never changed. Directory types: ${BWDC_TYPE_NAMES}. The last sync hash and
times are carried over, so the first "dirconn sync" on an unchanged directory posts nothing.

Examples:
  $ dirconn import-bwdc --dry-run
  $ dirconn import-bwdc "/home/svc/.config/Bitwarden Directory Connector/data.json"
`,
    )
    .action(async (given: string | undefined, flags: ImportFlags) => {
      const file = dataFileOf(given ?? resolveBwdcDataDir(ctx.env));
      const keychain: BwdcKeychain | null = flags.keychain ? new KeychainSecretStore({ service: BWDC_KEYCHAIN_SERVICE, timeoutMs: 5000 }) : null;
      const result = await ctx.withDeps('import-bwdc', (deps) =>
        importBwdc(deps, { path: file, keychain, ...(flags.dryRun ? { dryRun: true } : {}), ...(flags.force ? { force: true } : {}) }),
      );
      ctx.warn(result.warnings);
      ctx.output().result(result, render);
    });
}

/** A folder means its data.json. */
function dataFileOf(target: string): string {
  try {
    if (statSync(target).isDirectory()) return path.join(target, 'data.json');
  } catch {
    // Missing: the use case reports it with the path.
  }
  return target;
}

function render(r: ImportBwdcResult): string {
  const lines = [`${r.saved ? 'Imported' : 'Would import (dry run)'} from ${r.path} (bwdc state version ${r.stateVersion ?? 'unknown'}, ${r.layout} layout):`];
  lines.push(`  directory: ${r.directory ?? '(none chosen)'}`);
  for (const s of r.imported) if (s.setting !== 'directory') lines.push(`  ${s.setting} = ${settingText(s.value)}`);
  for (const s of r.secrets) lines.push(`  ${s.setting}: ${s.from === null ? s.note : `from ${s.from}, ${s.note}`}`);
  lines.push(`  login: ${r.login.clientId ?? '(not imported)'} — ${r.login.note}`);
  lines.push(
    r.state === null
      ? '  sync state: none in bwdc (the first sync posts)'
      : `  sync state: last sync hash ${r.state.lastSyncHash === null ? '(none)' : 'carried over'}, users ${r.state.lastUserSync ?? '-'}, groups ${r.state.lastGroupSync ?? '-'}`,
  );
  if (r.notImported.length > 0) {
    lines.push('Not imported:');
    for (const s of r.notImported) lines.push(`  ${s.setting}: ${s.reason}`);
  }
  lines.push(r.saved ? 'The bwdc file was not changed. Next: "dirconn test", then "dirconn plan".' : 'Nothing was saved.');
  return lines.join('\n');
}
