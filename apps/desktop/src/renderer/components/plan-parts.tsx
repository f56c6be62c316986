/** Pieces of a plan shown on the Plan and Sync screens: the safety checks and the changes by kind. */
import type { PlannedChange, SafetyCheck } from '@dirconn/core';
import { CHANGE_KINDS, plural, ruleLabel } from '../model/format.js';

/** The safety checks with their verdicts. */
export function SafetyChecks({ checks, removalLimit }: { checks: readonly SafetyCheck[]; removalLimit: number | null }) {
  return (
    <>
      {removalLimit !== null && <p>This run may remove up to {plural(removalLimit, 'member')}.</p>}
      <table className="checks">
        <caption className="visually-hidden">Safety checks</caption>
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Verdict</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={`${c.rule}:${c.message}`} data-rule={c.rule} data-passed={c.passed}>
              <td>{ruleLabel(c.rule)}</td>
              <td>
                <span className={`badge ${c.passed ? 'badge-pass' : 'badge-fail'}`}>{c.passed ? 'Passed' : 'Failed'}</span>
              </td>
              <td>{c.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function describeChange(change: PlannedChange): string {
  if (change.group !== undefined) {
    const members = change.members ?? [];
    const count = change.count ?? members.length;
    const shown = members.length > 0 ? `: ${members.slice(0, 50).join(', ')}${members.length > 50 ? ` and ${members.length - 50} more` : ''}` : '';
    return count > 0 && change.kind.startsWith('group-member') ? `${change.group} (${plural(count, 'member')})${shown}` : change.group;
  }
  return change.email ?? change.externalId;
}

/** The changes grouped under headings (invitations, removals, identity and group changes…). */
export function ChangeList({ changes }: { changes: readonly PlannedChange[] }) {
  const sections = CHANGE_KINDS.map((k) => ({ ...k, items: changes.filter((c) => c.kind === k.kind) })).filter((s) => s.items.length > 0);
  if (sections.length === 0) return <p>No changes: the organization already matches the directory.</p>;
  return (
    <>
      {sections.map((section) => (
        <section key={section.kind} className="change-section" aria-labelledby={`changes-${section.kind}`} data-kind={section.kind}>
          <h3 id={`changes-${section.kind}`}>
            {section.title} <span className="count">({section.items.length})</span>
          </h3>
          <p className="muted">{section.explanation}</p>
          <ul className="change-list">
            {section.items.map((change, index) => (
              <li key={`${change.externalId}:${index}`}>
                <strong>{describeChange(change)}</strong>
                {change.email !== undefined && change.group === undefined && change.email !== change.externalId && <code className="muted"> {change.externalId}</code>}
                <span className="reason"> — {change.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
