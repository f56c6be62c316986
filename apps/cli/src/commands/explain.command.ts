/** `dirconn explain <email|externalId|dn>`: why a user (or group) is synced or not, and what happens next. */
import { Command } from 'commander';
import { explainUser, runExplain } from '@dirconn/core';
import type { CliContext } from '../context.js';
import { progressReporter } from './shared.js';

export function explainCommand(ctx: CliContext): Command {
  return new Command('explain')
    .description('Explain why a user or group is (or is not) synced and what the next sync will do to them')
    .argument('<who>', 'email, externalId, DN, uid or group name')
    .addHelpText('after', '\nExamples:\n  $ dirconn explain roland.dyke@example.com\n  $ dirconn explain "cn=Blue Team,dc=example,dc=com"\n')
    .action(async (who: string) => {
      await ctx.withDeps('explain', async (deps) => {
        const result = await runExplain(deps, who, { signal: ctx.abort.signal, onProgress: progressReporter(ctx) });
        const fromPlan = explainUser(result.plan, who);
        const out = ctx.output();
        out.result({ query: who, directory: result.provider, sync: fromPlan }, (r) => {
          const lines: string[] = [out.style('bold', `Explain: ${who}`)];
          if (r.directory) {
            lines.push(`Directory: ${r.directory.found ? `found ${r.directory.referenceId ?? ''}` : 'no matching entry found'}`);
            for (const c of r.directory.checks) lines.push(`  ${c.passed ? out.style('green', 'yes') : out.style('red', 'no ')}  ${c.check}: ${c.detail}`);
          }
          lines.push(...describePlanSide(r.sync));
          return lines.join('\n');
        });
      });
    });
}

function describePlanSide(e: ReturnType<typeof explainUser>): string[] {
  const lines: string[] = [];
  if (!e.found) {
    lines.push('Sync: not part of the next sync (not in the synced users or groups).');
    return lines;
  }
  if (e.user) lines.push(`Sync: user ${e.user.email} (${e.user.externalId})${e.user.deleted ? `, sent as deleted (${e.user.deletedReason ?? 'directory'})` : e.user.disabled ? ', disabled' : ''}`);
  if (e.group) lines.push(`Sync: group ${e.group.name} (${e.group.externalId}) with ${e.group.userExternalIds.length} member(s)`);
  if (e.groups.length > 0) {
    lines.push('Groups:');
    for (const g of e.groups) lines.push(`  ${g.name}${g.path.length > 1 ? ` (via ${g.path.join(' → ')})` : ''}`);
  }
  if (e.changes.length > 0) {
    lines.push('Next sync:');
    for (const c of e.changes) lines.push(`  ${c.kind}${c.group ? ` ${c.group}` : ''}${c.count !== undefined ? ` (${c.count} member(s))` : ''}: ${c.reason}`);
  } else {
    lines.push('Next sync: no change.');
  }
  return lines;
}
