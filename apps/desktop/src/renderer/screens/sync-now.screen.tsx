/**
 * Sync now: runs one sync with live progress and a Cancel button. A safety stop is shown with the
 * failed checks and the people who would be removed; after the admin confirms, the same sync runs
 * once more with exactly the override the checks ask for (nothing else is relaxed).
 */
import { useState } from 'react';
import type { SyncNowResult } from '../../shared/api-types.js';
import { useApi } from '../api/api-context.js';
import { useActivity } from '../api/use-activity.js';
import { useCall } from '../api/use-call.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ErrorAlert, Notice } from '../components/error-alert.js';
import { SafetyChecks } from '../components/plan-parts.js';
import { describeProgress, ProgressNote } from '../components/progress-note.js';
import { Screen } from '../components/screen.js';
import { outcomeLabel, plural } from '../model/format.js';
import { describeOverrides, readSafetyStop, suggestedOverrides, type RunOverrides, type SafetyStop } from '../model/safety.model.js';

/** The Sync screen. */
export function SyncNowScreen({ onSynced }: { onSynced: () => void }) {
  const api = useApi();
  const [sync, runSync] = useCall(api.syncNow);
  const { activity, cancel } = useActivity(sync.running);
  const [cancelNote, setCancelNote] = useState<string | null>(null);
  const stop = sync.error?.code === 'sync.safety-stop' ? readSafetyStop(sync.error.details) : null;

  const start = async (overrides: RunOverrides): Promise<void> => {
    setCancelNote(null);
    const response = await runSync({ overrides });
    if (response.ok) onSynced();
  };

  return (
    <Screen title="Sync" intro="Sends the directory to the organization now. The safety checks run first; if one fails, nothing is sent.">
      <div className="button-row">
        <button type="button" className="primary" disabled={sync.running} onClick={() => void start({})}>
          {sync.running ? 'Syncing…' : 'Sync now'}
        </button>
        {sync.running && (
          <button
            type="button"
            onClick={() => {
              void cancel().then((asked) => setCancelNote(asked ? 'Cancelling: the sync stops before sending anything more.' : 'Nothing to cancel.'));
            }}
          >
            Cancel
          </button>
        )}
      </div>
      <ProgressNote text={sync.running ? describeProgress(activity, 'Syncing…') : cancelNote} />
      {stop !== null ? <SafetyStopPanel stop={stop} message={sync.error?.message ?? ''} running={sync.running} onAllow={(o) => void start(o)} /> : <ErrorAlert error={sync.error} title="The sync did not finish." />}
      {sync.value !== null && <SyncResultView result={sync.value} />}
    </Screen>
  );
}

function SyncResultView({ result }: { result: SyncNowResult }) {
  const s = result.summary;
  return (
    <Notice>
      <p>
        <strong>{outcomeLabel(result.outcome)}.</strong> {plural(result.requestsPosted, 'request')} sent: {plural(s.invites, 'invitation')}, {plural(s.removals, 'removal')}, {plural(s.groupCreates, 'new group', 'new groups')},{' '}
        {plural(s.membershipAdds, 'group member')} added, {plural(s.membershipRemovals, 'group member')} removed.
      </p>
      <p className="muted">Report {result.reportId}</p>
    </Notice>
  );
}

/** The stop: what failed, who would be removed, and the confirm-to-allow for one run. */
function SafetyStopPanel({ stop, message, running, onAllow }: { stop: SafetyStop; message: string; running: boolean; onAllow: (overrides: RunOverrides) => void }) {
  const suggestion = suggestedOverrides(stop);
  const suggested = suggestion.overrides;
  const [count, setCount] = useState(String(typeof suggested.allowRemovals === 'number' ? suggested.allowRemovals : stop.removals.length));
  const [memberships, setMemberships] = useState(String(suggested.allowMembershipRemovals ?? 0));
  const [confirming, setConfirming] = useState(false);
  const overrides: RunOverrides = { ...suggested };
  if (typeof overrides.allowRemovals === 'number') overrides.allowRemovals = wholeNumber(count);
  if (overrides.allowMembershipRemovals !== undefined) overrides.allowMembershipRemovals = wholeNumber(memberships);
  return (
    <section className="card card-danger" aria-labelledby="stop-title" role="alert">
      <h2 id="stop-title">Safety stop: nothing was sent</h2>
      <p>{message.split('\n')[0]}</p>
      <SafetyChecks checks={stop.checks} removalLimit={null} />
      <h3>People who would be removed ({stop.removals.length})</h3>
      {stop.removals.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul className="change-list removal-list">
          {stop.removals.map((r) => (
            <li key={r.externalId}>
              <strong>{r.email ?? r.externalId}</strong> <span className="reason">— {r.reason}</span>
            </li>
          ))}
        </ul>
      )}
      {suggestion.canOverride ? (
        <>
          {typeof overrides.allowRemovals === 'number' && (
            <div className="field inline">
              <label htmlFor="allow-removals">Allow up to this many removals, for this run only</label>
              <input id="allow-removals" type="number" min={0} step={1} value={count} onChange={(e) => setCount(e.target.value)} />
            </div>
          )}
          {overrides.allowRemovals === 'all' && <p>dirconn cannot count the removals this sync may make (organization members it does not know): allowing it once allows any number.</p>}
          {overrides.allowMembershipRemovals !== undefined && (
            <div className="field inline">
              <label htmlFor="allow-membership-removals">Allow up to this many group-membership removals, for this run only</label>
              <input id="allow-membership-removals" type="number" min={0} step={1} value={memberships} onChange={(e) => setMemberships(e.target.value)} />
            </div>
          )}
          {overrides.allowSourceChange === true && <p>The directory source changed since the last sync: allowing it once compares the new source with the people synced from the old one.</p>}
          {overrides.allowSeatOverflow === true && <p>The invitations need more seats than the organization has: Bitwarden cloud buys them (autoscale, billed), or refuses past the autoscale limit.</p>}
          <div className="button-row">
            <button type="button" className="danger" disabled={running} onClick={() => setConfirming(true)}>
              Review and allow once…
            </button>
          </div>
          <ConfirmDialog
            open={confirming}
            title="Allow this sync once?"
            confirmLabel={`Sync and allow ${describeOverrides(overrides)}`}
            danger
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              onAllow(overrides);
            }}
          >
            <p>The sync runs again and allows {describeOverrides(overrides)} for this run only. The saved limits stay as they are.</p>
          </ConfirmDialog>
        </>
      ) : (
        <p>These checks cannot be overridden: fix the directory or the organization, then sync again.</p>
      )}
    </section>
  );
}

/** A whole, non-negative number from a number field (anything else counts as 0). */
function wholeNumber(text: string): number {
  return Math.max(0, Math.floor(Number(text)) || 0);
}
