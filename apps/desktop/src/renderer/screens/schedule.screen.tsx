/**
 * Schedule: runs a sync every N minutes (at least 5) in the Node process, even with no window open;
 * it survives restarts and never overlaps itself or the CLI (a busy store skips the tick).
 */
import { useEffect, useState } from 'react';
import type { ScheduleStatus } from '../../shared/api-types.js';
import { useApi } from '../api/api-context.js';
import { useCall } from '../api/use-call.js';
import { ErrorAlert } from '../components/error-alert.js';
import { Card, Screen } from '../components/screen.js';
import { formatTime, outcomeLabel } from '../model/format.js';

/** The Schedule screen. */
export function ScheduleScreen() {
  const api = useApi();
  const [current, load] = useCall(api.scheduleGet);
  const [start, runStart] = useCall(api.scheduleStart);
  const [stop, runStop] = useCall(api.scheduleStop);
  const [settings, loadSettings] = useCall(api.listSettings);
  const [minutes, setMinutes] = useState('');
  // The smallest interval is the server's rule (the `sync.interval` setting's minimum); the renderer
  // does not import the contract's zod schemas, which would put zod in the bundle.
  // Until it is known, nothing can be started.
  const minimum = settings.value?.settings.find((s) => s.key === 'sync.interval')?.min ?? null;
  const schedule: ScheduleStatus | null = stop.value ?? start.value ?? current.value;

  useEffect(() => {
    void load({}).then((r) => {
      if (r.ok) setMinutes(String(r.value.intervalMinutes));
    });
    void loadSettings({});
  }, [load, loadSettings]);

  const interval = Number(minutes);
  const valid = minimum !== null && Number.isInteger(interval) && interval >= minimum;
  const busy = start.running || stop.running;

  return (
    <Screen title="Schedule" intro="Syncs automatically while dirconn runs: Start runs one sync now, then one every interval. A run that finds the data in use by another dirconn process skips its turn and tries again at the next one.">
      <Card title={schedule?.enabled === true ? 'Running' : 'Stopped'} id="schedule-state">
        <ErrorAlert error={current.error ?? start.error ?? stop.error} />
        {schedule !== null && (
          <dl className="facts">
            <dt>Status</dt>
            <dd data-field="enabled">{schedule.enabled ? 'Running' : 'Stopped'}</dd>
            <dt>Every</dt>
            <dd>{schedule.intervalMinutes} minutes</dd>
            <dt>Next run</dt>
            <dd data-field="next-run">{schedule.enabled ? formatTime(schedule.nextRunAt) : 'not scheduled'}</dd>
            <dt>Last run</dt>
            <dd>
              {formatTime(schedule.lastRunAt)}
              {schedule.lastOutcome !== null && ` — ${outcomeLabel(schedule.lastOutcome)}`}
            </dd>
            {schedule.lastMessage !== null && (
              <>
                <dt>Last message</dt>
                <dd>{schedule.lastMessage}</dd>
              </>
            )}
          </dl>
        )}
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (valid) void runStart({ intervalMinutes: interval });
          }}
        >
          <div className="field inline">
            <label htmlFor="schedule-minutes">Minutes between runs</label>
            <input id="schedule-minutes" type="number" min={minimum ?? undefined} step={1} value={minutes} aria-describedby="schedule-minutes-help" aria-invalid={minimum !== null && !valid && minutes !== '' ? true : undefined} onChange={(e) => setMinutes(e.target.value)} />
            <p id="schedule-minutes-help" className="help">
              {minimum === null ? 'Loading the smallest interval…' : `At least ${minimum} minutes.${!valid && minutes !== '' ? ` ${minutes} is not a whole number of at least ${minimum}.` : ''}`}
            </p>
          </div>
          <div className="button-row">
            <button type="submit" className="primary" disabled={!valid || busy}>
              {schedule?.enabled === true ? 'Restart with this interval' : 'Start schedule'}
            </button>
            <button type="button" disabled={schedule?.enabled !== true || busy} onClick={() => void runStop({})}>
              Stop schedule
            </button>
          </div>
        </form>
      </Card>
    </Screen>
  );
}
