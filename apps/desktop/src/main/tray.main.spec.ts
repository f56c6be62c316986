import { describe, expect, it } from '@jest/globals';
import { trayMenuTemplate, trayStatusText } from './tray.main.js';

const schedule = { enabled: true, intervalMinutes: 15, nextRunAt: '2026-12-04T10:15:00.000Z', lastRunAt: '2026-12-04T10:00:00.000Z', lastOutcome: 'skipped' as const, lastMessage: 'Skipped' };

describe('tray', () => {
  it('shows the last sync, the schedule and a problem with the last scheduled run', () => {
    expect(trayStatusText({ lastSync: null, schedule: null, syncing: false })).toBe('dirconn — Never synced');
    expect(trayStatusText({ lastSync: '2026-12-04T09:30:12.000Z', schedule, syncing: false })).toBe('dirconn — Last sync: 2026-12-04 09:30 UTC · every 15 min · last run skipped');
    expect(trayStatusText({ lastSync: null, schedule: null, syncing: true })).toBe('dirconn — Syncing…');
  });

  it('offers Sync now (disabled while syncing), Open and Quit', () => {
    const clicked: string[] = [];
    const actions = { syncNow: () => clicked.push('sync'), open: () => clicked.push('open'), quit: () => clicked.push('quit') };
    const menu = trayMenuTemplate({ lastSync: null, schedule: null, syncing: false }, actions);
    expect(menu.map((i) => i.label ?? i.type)).toEqual(['dirconn — Never synced', 'separator', 'Sync now', 'Open dirconn', 'separator', 'Quit']);
    for (const item of menu) item.click?.(undefined as never, undefined, undefined as never);
    expect(clicked).toEqual(['sync', 'open', 'quit']);
    expect(trayMenuTemplate({ lastSync: null, schedule: null, syncing: true }, actions)[2]).toMatchObject({ label: 'Sync now', enabled: false });
  });
});
