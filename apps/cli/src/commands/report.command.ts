/** `dirconn report [--last]`: the JSON reports written by every sync (last 50 kept). */
import { Command } from 'commander';
import { listReports } from '@dirconn/core';
import type { CliContext } from '../context.js';
import { renderReport } from '../render.js';
import { nonNegativeInt } from './shared.js';

export function reportCommand(ctx: CliContext): Command {
  return new Command('report')
    .description('Show the reports of past syncs (newest first; the last 50 are kept)')
    .option('--last', 'only the most recent report')
    .option('-n, --limit <n>', 'how many reports to show (default 10)', nonNegativeInt)
    .addHelpText('after', '\nExamples:\n  $ dirconn report --last\n  $ dirconn report --json --limit 50\n')
    .action(async (options: { last?: boolean; limit?: number }) => {
      const limit = options.last ? 1 : (options.limit ?? 10);
      const reports = await ctx.withDeps('report', (deps) => listReports(deps, { limit }), { lock: false });
      const out = ctx.output();
      if (options.last) {
        out.result(reports[0] ?? null, (r) => (r ? renderReport(r, out) : 'No sync has run yet.'));
      } else {
        out.result(reports, (rs) => (rs.length === 0 ? 'No sync has run yet.' : rs.map((r) => renderReport(r, out)).join('\n\n')));
      }
    });
}
