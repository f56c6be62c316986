/** Human renderings of plans, test results and reports. */
import { NO_REMOVAL_LIMIT, type PlannedChange, type RunReport, type SyncPlan } from '@dirconn/core';
import { overrideFlag } from './hint-words.js';
import { table, type Output } from './output.js';

const KIND_LABEL: Record<PlannedChange['kind'], string> = {
  invite: 'invite',
  link: 'link',
  remove: 'REMOVE',
  'group-create': 'create group',
  'group-rename': 'rename group',
  'group-member-add': 'add to group',
  'group-member-remove': 'remove from group',
  'email-change': 'EMAIL CHANGE',
  'external-id-change': 'ID CHANGE',
  skip: 'skip',
};

/** The directory side: who and what would sync (`dirconn test`). */
export function renderDirectorySide(plan: SyncPlan, out: Output, limit = 200): string {
  const lines: string[] = [];
  const enabled = plan.users.filter((u) => !u.deleted && !u.disabled);
  const disabled = plan.users.filter((u) => u.disabled && !u.deleted);
  const deleted = plan.users.filter((u) => u.deleted);
  const section = (title: string, rows: string[]) => {
    lines.push(out.style('bold', `${title} (${rows.length})`));
    for (const row of rows.slice(0, limit)) lines.push(`  ${row}`);
    if (rows.length > limit) lines.push(`  … and ${rows.length - limit} more (use --json for all)`);
  };
  section('Users', enabled.map((u) => `${u.email}  ${out.style('dim', u.externalId)}`));
  section('Disabled users', disabled.map((u) => `${u.email}  ${out.style('dim', u.externalId)}`));
  section('Deleted users', deleted.map((u) => `${u.email}  ${out.style('dim', `${u.externalId} (${u.deletedReason ?? 'directory'})`)}`));
  section('Groups', plan.groups.map((g) => `${g.name}  ${out.style('dim', `${g.userExternalIds.length} member(s)`)}`));
  renderWarnings(plan, out, lines);
  return lines.join('\n');
}

/** What the sync would change (`dirconn plan`, `sync --dry-run`). */
export function renderPlan(plan: SyncPlan, out: Output, limit = 200): string {
  const lines: string[] = [];
  const s = plan.summary;
  lines.push(out.style('bold', 'Plan'));
  if (plan.orgView === 'live') lines.push('  Compared with the live organization.');
  else lines.push(out.style('yellow', `  Directory-side view only: ${plan.orgUnavailableReason ?? 'organization not read'}.`));
  lines.push(`  Directory: ${s.usersInDirectory} user(s) (${s.enabledUsers} enabled, ${s.disabledUsers} disabled, ${s.deletedUsers} deleted), ${s.groupsInDirectory} group(s); read: ${plan.readMode}`);
  lines.push(
    `  Changes:   ${s.invites} invite(s), ${s.links} link(s), ${s.removals} removal(s), ${s.groupCreates} new group(s), ${s.groupRenames} renamed, ` +
      `${s.membershipAdds} membership addition(s), ${s.membershipRemovals} membership removal(s)`,
  );
  lines.push(`  Unchanged: ${s.unchangedMembers} member(s), ${s.unchangedGroups} group(s)`);
  lines.push(`  Requests:  ${plan.unchanged ? 'none (same as the last successful sync)' : `${s.requests} import request(s)`}`);
  const membership = plan.changes.filter((c) => c.kind === 'group-member-add' || c.kind === 'group-member-remove');
  const individual = plan.changes.filter((c) => c.kind !== 'group-member-add' && c.kind !== 'group-member-remove');
  if (individual.length > 0) {
    lines.push('');
    const rows = individual.slice(0, limit).map((c) => [KIND_LABEL[c.kind], c.email ?? c.externalId, c.group ?? '', c.reason]);
    lines.push(table(['ACTION', 'WHO', 'GROUP', 'REASON'], rows));
    if (individual.length > limit) lines.push(`… and ${individual.length - limit} more change(s) (use --json or --output for all)`);
  }
  if (membership.length > 0) {
    const perGroup = new Map<string, { add: number; remove: number }>();
    // One change per group and direction (removals also per reason), listing `count` members.
    for (const c of membership) {
      const name = c.group ?? c.externalId;
      const entry = perGroup.get(name) ?? { add: 0, remove: 0 };
      const n = c.count ?? c.members?.length ?? 1;
      if (c.kind === 'group-member-add') entry.add += n;
      else entry.remove += n;
      perGroup.set(name, entry);
    }
    lines.push('');
    lines.push(`Group membership changes (details with --json or "dirconn explain <user>"):`);
    const rows = [...perGroup.entries()].slice(0, limit).map(([name, n]) => [name, `+${n.add}`, `-${n.remove}`]);
    lines.push(table(['GROUP', 'ADDED', 'REMOVED'], rows));
    if (perGroup.size > limit) lines.push(`… and ${perGroup.size - limit} more group(s)`);
  }
  lines.push('');
  lines.push(out.style('bold', 'Safety'));
  lines.push(`  Removal limit for this run: ${plan.safety.removalLimit >= NO_REMOVAL_LIMIT ? 'none (--allow-removals all)' : plan.safety.removalLimit}`);
  lines.push(`  Group membership removal limit: ${plan.safety.membershipRemovalLimit}`);
  if (s.unresolvedMembers > 0) lines.push(`  Unresolved group members (match no user read, not synced): ${s.unresolvedMembers}`);
  const losing = plan.safety.groupsLosingMembers;
  if (losing.length > 0) {
    lines.push('  Groups losing members:');
    const rows = losing.slice(0, limit).map((g) => [g.name, String(g.before), `-${g.removed}`, g.emptied ? 'emptied' : '']);
    lines.push(table(['GROUP', 'BEFORE', 'REMOVED', ''], rows).replace(/^/gm, '    '));
    if (losing.length > limit) lines.push(`    … and ${losing.length - limit} more group(s)`);
  }
  for (const check of plan.safety.checks) {
    // `override` is core's wording, kept for plans saved before checks carried `allow`.
    const allowOnce = check.allow ? overrideFlag(check.allow) : check.override;
    lines.push(`  ${check.passed ? out.style('green', 'ok  ') : out.style('red', 'STOP')} ${check.message}${!check.passed && allowOnce ? ` (allow once: ${allowOnce})` : ''}`);
  }
  renderWarnings(plan, out, lines);
  return lines.join('\n');
}

/** Appends the plan's warnings (read warnings included), each once, to `lines`. */
export function renderWarnings(plan: SyncPlan, out: Output, lines: string[]): void {
  if (plan.warnings.length === 0) return;
  lines.push('');
  lines.push(out.style('yellow', `Warnings (${plan.warnings.length})`));
  for (const w of plan.warnings) lines.push(`  - ${w.message}`);
}

/** One run report. */
export function renderReport(report: RunReport, out: Output): string {
  const lines = [
    `${out.style('bold', report.startedAt)}  ${report.command}  → ${report.outcome}  (${(report.durationMs / 1000).toFixed(1)} s)`,
  ];
  if (report.summary) {
    const s = report.summary;
    lines.push(`  ${s.usersInDirectory} user(s), ${s.groupsInDirectory} group(s); ${s.invites} invite(s), ${s.removals} removal(s), ${s.requests} request(s) planned, ${report.requestsPosted} posted`);
  }
  for (const c of report.changes.filter((c) => c.kind === 'remove')) lines.push(`  removed: ${c.email ?? c.externalId} (${c.reason})`);
  for (const w of report.warnings) lines.push(`  warning: ${w.message}`);
  if (report.safety && !report.safety.ok) for (const c of report.safety.checks.filter((c) => !c.passed)) lines.push(`  safety stop: ${c.message}`);
  if (report.error) lines.push(`  error: ${report.error.code}: ${report.error.message}`);
  return lines.join('\n');
}
