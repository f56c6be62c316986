/**
 * Dashboard: where things stand — signed in or not, the source, the last user and group syncs, the
 * schedule, what is running now, and the last run reports — with shortcuts to Test, Plan and Sync.
 */
import { useEffect } from 'react';
import type { RunReport } from '@dirconn/core';
import type { StatusResult } from '../../shared/api-types.js';
import { useApi } from '../api/api-context.js';
import { useCall } from '../api/use-call.js';
import { ErrorAlert } from '../components/error-alert.js';
import { Card, Screen } from '../components/screen.js';
import { formatDuration, formatTime, outcomeLabel } from '../model/format.js';
import type { ScreenId } from './screen-ids.js';

/** Props of {@link DashboardScreen}. */
export interface DashboardScreenProps {
  status: StatusResult;
  go: (screen: ScreenId) => void;
}

/** The Dashboard screen. */
export function DashboardScreen({ status, go }: DashboardScreenProps) {
  const api = useApi();
  const [lastSync, loadLastSync] = useCall(api.lastSync);
  const [schedule, loadSchedule] = useCall(api.scheduleGet);
  const [reports, loadReports] = useCall(api.reports);
  useEffect(() => {
    void loadLastSync({});
    void loadSchedule({});
    void loadReports({ limit: 10 });
  }, [loadLastSync, loadSchedule, loadReports]);

  return (
    <Screen title="Dashboard" intro="Where the sync stands. Test and Plan never change the organization; Sync does, after its safety checks.">
      <div className="cards">
        <Card title="Setup" id="dash-setup">
          <dl className="facts">
            <dt>Bitwarden</dt>
            <dd>{status.loggedIn ? <>Signed in ({status.server.apiUrl})</> : 'Not signed in'}</dd>
            <dt>Directory</dt>
            <dd>{status.directory?.label ?? 'No source chosen'}</dd>
          </dl>
          <div className="button-row">
            <button type="button" onClick={() => go('test')}>
              Test
            </button>
            <button type="button" onClick={() => go('plan')} disabled={!status.loggedIn}>
              Plan
            </button>
            <button type="button" className="primary" onClick={() => go('sync')} disabled={!status.loggedIn}>
              Sync…
            </button>
          </div>
        </Card>
        <Card title="Last sync" id="dash-last-sync">
          <ErrorAlert error={lastSync.error} />
          <dl className="facts">
            <dt>Users</dt>
            <dd data-field="last-user-sync">{lastSync.value === null ? '…' : formatTime(lastSync.value.users)}</dd>
            <dt>Groups</dt>
            <dd data-field="last-group-sync">{lastSync.value === null ? '…' : formatTime(lastSync.value.groups)}</dd>
          </dl>
        </Card>
        <Card title="Schedule" id="dash-schedule">
          <ErrorAlert error={schedule.error} />
          {schedule.value !== null && (
            <p>
              {schedule.value.enabled ? `Every ${schedule.value.intervalMinutes} minutes; next run ${formatTime(schedule.value.nextRunAt)}.` : 'Stopped.'}
              {schedule.value.lastMessage !== null && ` ${schedule.value.lastMessage}`}
            </p>
          )}
          <button type="button" onClick={() => go('schedule')}>
            Change schedule
          </button>
        </Card>
      </div>
      <Card title="Last runs" id="dash-reports">
        <ErrorAlert error={reports.error} />
        {reports.value !== null && <ReportsTable reports={reports.value.reports} />}
      </Card>
    </Screen>
  );
}

function ReportsTable({ reports }: { reports: readonly RunReport[] }) {
  if (reports.length === 0) return <p>No runs yet.</p>;
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">The last run reports, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Command</th>
            <th scope="col">Outcome</th>
            <th scope="col">Changes</th>
            <th scope="col">Took</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((r) => (
            <tr key={r.id} data-outcome={r.outcome}>
              <td>{formatTime(r.startedAt)}</td>
              <td>{r.command}</td>
              <td>
                <span className={`badge badge-${r.outcome}`}>{outcomeLabel(r.outcome)}</span>
                {r.error !== null && <span className="muted"> {r.error.message.split('\n')[0]}</span>}
              </td>
              <td>
                {r.summary === null ? '—' : `${r.summary.invites} invited, ${r.summary.removals} removed, ${r.summary.membershipAdds + r.summary.membershipRemovals} group changes`}
                {r.summary !== null && r.requestsPosted === 0 && r.outcome !== 'unchanged' && <span className="muted"> (planned, nothing sent)</span>}
              </td>
              <td>{formatDuration(r.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
