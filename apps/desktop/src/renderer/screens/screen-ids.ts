/** The screens of the app, in navigation order, with their navigation labels. */
export const SCREENS = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'test', label: 'Test' },
  { id: 'plan', label: 'Plan' },
  { id: 'sync', label: 'Sync' },
  { id: 'schedule', label: 'Schedule' },
  { id: 'directory', label: 'Directory' },
  { id: 'sync-settings', label: 'Sync settings' },
  { id: 'sign-in', label: 'Sign in' },
  { id: 'more', label: 'More' },
] as const;

/** One screen. */
export type ScreenId = (typeof SCREENS)[number]['id'];
