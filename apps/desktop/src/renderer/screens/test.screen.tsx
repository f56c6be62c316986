/**
 * Test: reads the directory with the saved settings and shows who would be synced — users enabled,
 * disabled and deleted, groups with their flattened members — without touching the organization.
 */
import { useState } from 'react';
import type { TestResult } from '../../shared/api-types.js';
import { useApi } from '../api/api-context.js';
import { useActivity } from '../api/use-activity.js';
import { useCall } from '../api/use-call.js';
import { GroupsTable, UsersTable } from '../components/directory-tables.js';
import { ErrorAlert, Notice } from '../components/error-alert.js';
import { describeProgress, ProgressNote } from '../components/progress-note.js';
import { Card, Screen } from '../components/screen.js';
import { countsAddUp } from '../model/directory-view.model.js';

/** The Test screen. */
export function TestScreen() {
  const api = useApi();
  const [sinceLastSync, setSinceLastSync] = useState(false);
  const [test, runTest] = useCall(api.test);
  const { activity, cancel } = useActivity(test.running);
  return (
    <Screen title="Test" intro="Reads the directory with the saved settings and shows who would be synced. Nothing is sent to Bitwarden.">
      <div className="button-row">
        <button type="button" className="primary" disabled={test.running} onClick={() => void runTest({ sinceLastSync })}>
          {test.running ? 'Reading the directory…' : 'Run test'}
        </button>
        {test.running && (
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        )}
        <span className="checkbox">
          <input id="test-since" type="checkbox" checked={sinceLastSync} onChange={(e) => setSinceLastSync(e.target.checked)} />
          <label htmlFor="test-since">Only changes since the last successful sync</label>
        </span>
      </div>
      <ProgressNote text={test.running ? describeProgress(activity, 'Reading the directory…') : null} />
      <ErrorAlert error={test.error} title="The test failed." />
      {test.value !== null && <TestResultView result={test.value} />}
    </Screen>
  );
}

function TestResultView({ result }: { result: TestResult }) {
  const c = result.counts;
  return (
    <>
      <Card title="Summary" id="test-summary">
        <dl className="counts">
          <div>
            <dt>Users</dt>
            <dd data-count="users">{c.users}</dd>
          </div>
          <div>
            <dt>Enabled</dt>
            <dd data-count="enabled">{c.enabled}</dd>
          </div>
          <div>
            <dt>Disabled</dt>
            <dd data-count="disabled">{c.disabled}</dd>
          </div>
          <div>
            <dt>Deleted</dt>
            <dd data-count="deleted">{c.deleted}</dd>
          </div>
          <div>
            <dt>Groups</dt>
            <dd data-count="groups">{c.groups}</dd>
          </div>
        </dl>
        <p className="muted">
          {result.readMode === 'delta' ? 'Changes since the last sync only. ' : 'A complete read. '}
          {countsAddUp(c) ? `${c.enabled} enabled + ${c.disabled} disabled + ${c.deleted} deleted = ${c.users} users.` : 'The counts do not add up: please report this.'}
        </p>
        {result.warnings.length > 0 && (
          <Notice tone="warning">
            <ul>
              {result.warnings.map((w) => (
                <li key={`${w.code}:${w.message}`}>{w.message}</li>
              ))}
            </ul>
          </Notice>
        )}
      </Card>
      <Card title="Users" id="test-users">
        <UsersTable users={result.users} idPrefix="test" />
      </Card>
      <Card title="Groups" id="test-groups">
        <GroupsTable groups={result.groups} users={result.users} idPrefix="test" />
      </Card>
    </>
  );
}
