/**
 * Plan: what the next sync would change in the organization — invitations, removals, group and
 * identity changes — and the safety checks with their verdicts. Nothing is sent.
 */
import type { PlanView } from '../../shared/api-types.js';
import { useApi } from '../api/api-context.js';
import { useActivity } from '../api/use-activity.js';
import { useCall } from '../api/use-call.js';
import { ErrorAlert, Notice } from '../components/error-alert.js';
import { ChangeList, SafetyChecks } from '../components/plan-parts.js';
import { describeProgress, ProgressNote } from '../components/progress-note.js';
import { Card, Screen } from '../components/screen.js';
import { formatTime } from '../model/format.js';

/** The Plan screen. */
export function PlanScreen() {
  const api = useApi();
  const [plan, runPlan] = useCall(api.plan);
  const { activity, cancel } = useActivity(plan.running);
  return (
    <Screen title="Plan" intro="Reads the directory and the organization and shows what a sync would change. Nothing is sent to Bitwarden.">
      <div className="button-row">
        <button type="button" className="primary" disabled={plan.running} onClick={() => void runPlan({})}>
          {plan.running ? 'Planning…' : 'Make a plan'}
        </button>
        {plan.running && (
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        )}
      </div>
      <ProgressNote text={plan.running ? describeProgress(activity, 'Reading the directory and the organization…') : null} />
      <ErrorAlert error={plan.error} title="No plan could be made." />
      {plan.value !== null && <PlanResult plan={plan.value} />}
    </Screen>
  );
}

const SUMMARY: { key: keyof PlanView['summary']; label: string }[] = [
  { key: 'invites', label: 'Invitations' },
  { key: 'removals', label: 'Removals' },
  { key: 'links', label: 'Links' },
  { key: 'groupCreates', label: 'New groups' },
  { key: 'groupRenames', label: 'Renamed groups' },
  { key: 'membershipAdds', label: 'Group members added' },
  { key: 'membershipRemovals', label: 'Group members removed' },
  { key: 'requests', label: 'Requests to send' },
];

function PlanResult({ plan }: { plan: PlanView }) {
  return (
    <>
      <Card title="Summary" id="plan-summary">
        {plan.orgView === 'directory-only' ? (
          <Notice tone="warning">The organization could not be read, so this plan shows the directory side only{plan.orgUnavailableReason !== null ? `: ${plan.orgUnavailableReason}` : '.'}</Notice>
        ) : (
          <p className="muted">Compared with the organization as it is now (planned {formatTime(plan.createdAt)}).</p>
        )}
        {plan.unchanged && <Notice tone="info">Nothing changed since the last sync: a sync would send nothing.</Notice>}
        <dl className="counts">
          {SUMMARY.map((s) => (
            <div key={s.key}>
              <dt>{s.label}</dt>
              <dd data-count={s.key}>{plan.summary[s.key]}</dd>
            </div>
          ))}
        </dl>
        <p className="muted">
          Directory: {plan.summary.usersInDirectory} users ({plan.summary.enabledUsers} enabled, {plan.summary.disabledUsers} disabled, {plan.summary.deletedUsers} deleted), {plan.summary.groupsInDirectory} groups.
        </p>
      </Card>
      <Card title={plan.safety.ok ? 'Safety checks: all passed' : 'Safety checks: a sync would stop'} id="plan-safety">
        <SafetyChecks checks={plan.safety.checks} removalLimit={plan.safety.removalLimit} />
      </Card>
      {plan.warnings.length > 0 && (
        <Card title="Warnings" id="plan-warnings">
          <ul>
            {plan.warnings.map((w) => (
              <li key={`${w.code}:${w.message}`}>{w.message}</li>
            ))}
          </ul>
        </Card>
      )}
      <Card title="Changes" id="plan-changes">
        <ChangeList changes={plan.changes} />
      </Card>
    </>
  );
}
