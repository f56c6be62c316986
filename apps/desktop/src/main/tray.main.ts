/**
 * The tray icon: the last sync's status in its tooltip and menu, "Sync now", "Open dirconn" and
 * "Quit". Built from plain data so the specs can check the menu without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { ScheduleStatus } from '../shared/api-types.js';

/** What the tray shows. */
export interface TrayStatus {
  /** ISO time of the last successful user sync, or null. */
  lastSync: string | null;
  schedule: ScheduleStatus | null;
  /** True while a sync runs. */
  syncing: boolean;
}

/** The actions behind the menu items. */
export interface TrayActions {
  syncNow(): void;
  open(): void;
  quit(): void;
}

/** The tooltip and status line: "Last sync: 2026-12-04 10:05 · schedule every 15 min". */
export function trayStatusText(status: TrayStatus): string {
  const last = status.syncing ? 'Syncing…' : status.lastSync === null ? 'Never synced' : `Last sync: ${status.lastSync.slice(0, 16).replace('T', ' ')} UTC`;
  const schedule = status.schedule?.enabled ? ` · every ${status.schedule.intervalMinutes} min` : '';
  const problem = status.schedule?.lastOutcome === 'failed' || status.schedule?.lastOutcome === 'safety-stop' || status.schedule?.lastOutcome === 'skipped' ? ` · last run ${status.schedule.lastOutcome}` : '';
  return `dirconn — ${last}${schedule}${problem}`;
}

/** The tray's context menu. */
export function trayMenuTemplate(status: TrayStatus, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: trayStatusText(status), enabled: false },
    { type: 'separator' },
    { label: 'Sync now', enabled: !status.syncing, click: () => actions.syncNow() },
    { label: 'Open dirconn', click: () => actions.open() },
    { type: 'separator' },
    { label: 'Quit', click: () => actions.quit() },
  ];
}
