/**
 * Result types of the desktop API (the inputs are zod schemas in `api-contract.ts`). Plain,
 * JSON-serialisable data: the same values cross Electron IPC and `dirconn ui`'s HTTP. Only types
 * are imported from `@dirconn/core`, so the renderer bundle stays free of Node code.
 */
import type { FieldKind, PlanGroup, PlannedChange, PlanSummary, PlanUser, ReadWarning, RunOutcome, RunReport, SafetyCheck } from '@dirconn/core';

/** An error as it crosses to the renderer: a stable code, plain words, and what to do about it. */
export interface ApiError {
  /** Stable code (`store.locked`, `auth.bitwarden`, `config.invalid`, `usage`…; see core's ErrorCode). */
  code: string;
  message: string;
  hint?: string;
  /** Structured, secret-free details (a safety stop's failed checks and the people it would remove). */
  details?: unknown;
}

/** What every call resolves to: a value, or an error (never a rejected promise for expected failures). */
export type ApiResponse<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Which face is serving the renderer. */
export type ApiFace = 'desktop' | 'browser';

/** How the Bitwarden server is chosen on the sign-in screen. */
export type ServerChoiceKind = 'us' | 'eu' | 'self-hosted' | 'custom';

/** The configured Bitwarden server, as the sign-in screen shows it. */
export interface ServerStatus {
  kind: ServerChoiceKind;
  /** Self-hosted base URL (kind `self-hosted`), else null. */
  baseUrl: string | null;
  /** The API and identity URLs in effect (resolved from the choice). */
  apiUrl: string;
  identityUrl: string;
}

/** `status`: what the shell needs to decide which screen to show. */
export interface StatusResult {
  loggedIn: boolean;
  /** `organization.<uuid>` when logged in (not a secret), else null. */
  clientId: string | null;
  organizationId: string | null;
  server: ServerStatus;
  /** The chosen source, or null before one is chosen. */
  directory: { type: string; label: string } | null;
  dataDir: string;
  version: string;
  face: ApiFace;
}

/** `signIn`: the key was verified against the server and saved. */
export interface SignInResult {
  organizationId: string;
  apiUrl: string;
  /** Where the client secret is stored ("OS keychain (Secret Service)"…), or why it is not. */
  secretStorage: string;
}

/** `logout`. */
export interface LogoutResult {
  wasLoggedIn: boolean;
  /** A note for the user (e.g. no keychain reachable), or null. */
  note: string | null;
}

/** The form section a setting belongs to. */
export type SettingSection = 'server' | 'directory' | 'sync' | 'source';

/** Where a secret setting's value comes from now. */
export type SecretSourceKind = 'keychain' | 'plaintext' | 'environment' | 'file' | 'none';

/** One setting as the generated forms need it (built from the provider definitions' fields). */
export interface SettingInfo {
  /** `ldap.hostname`, `sync.maxRemovals`, `server`, `directory`. */
  key: string;
  section: SettingSection;
  /** The source the setting belongs to (`ldap`…), for `source` settings. */
  source: string | null;
  kind: FieldKind;
  /** One-line description with unit and default (the CLI help's text). */
  description: string;
  /** Current value (null when unset); always null for secrets. */
  value: string | number | boolean | null;
  defaultValue: string | number | boolean | null;
  /** True when the value is the default (nothing stored). */
  isDefault: boolean;
  /** Allowed values of an `enum` field. */
  enumValues: string[] | null;
  min: number | null;
  max: number | null;
  /** For secret settings: whether a value is set and where it comes from; null for other settings. */
  secret: { set: boolean; source: SecretSourceKind; detail: string | null } | null;
}

/** `listSettings`. */
export interface SettingsList {
  /** The chosen source (null when none), whose `source` settings are listed. */
  directoryType: string | null;
  /** Every source this build can read, for the picker. */
  sources: { type: string; label: string; description: string | null }[];
  settings: SettingInfo[];
}

/** `setSettings`: every value was validated and saved in one write (or nothing was). */
export interface SetSettingsResult {
  saved: string[];
  /** Non-fatal notes (e.g. a DN not checked because the directory was unreachable). */
  warnings: string[];
}

/** `setSecret`. */
export interface SetSecretResult {
  key: string;
  /** Where it was stored, e.g. "OS keychain (Secret Service)". */
  storage: string;
}

/** `checkConnection`: the directory was reached with the saved settings. */
export interface CheckConnectionResult {
  ok: boolean;
  /** Problems found (a base DN that does not exist…); empty when ok. */
  problems: { key: string; message: string }[];
  message: string;
}

/** `test`: the directory side (who would be synced). Counts add up: enabled + disabled + deleted = users. */
export interface TestResult {
  readMode: 'full' | 'delta';
  users: PlanUser[];
  groups: PlanGroup[];
  counts: { users: number; enabled: number; disabled: number; deleted: number; groups: number };
  warnings: ReadWarning[];
}

/** A plan as the screens show it (the raw requests and next state stay in the Node process). */
export interface PlanView {
  createdAt: string;
  orgView: 'live' | 'directory-only';
  orgUnavailableReason: string | null;
  readMode: 'full' | 'delta';
  /** True when nothing would be posted (same request as the last sync). */
  unchanged: boolean;
  summary: PlanSummary;
  changes: PlannedChange[];
  safety: { ok: boolean; removalLimit: number; checks: SafetyCheck[] };
  warnings: ReadWarning[];
  users: PlanUser[];
  groups: PlanGroup[];
}

/** `explain`: why a user is (or is not) synced. */
export interface ExplainResult {
  query: string;
  found: boolean;
  checks: { check: string; passed: boolean; detail: string }[];
  /** What the next sync does to the subject (changes whose email or externalId match). */
  changes: PlannedChange[];
}

/** `syncNow`. A safety stop is an error `sync.safety-stop` whose details list the checks and removals. */
export interface SyncNowResult {
  outcome: RunOutcome;
  requestsPosted: number;
  summary: PlanSummary;
  reportId: string;
}

/** `cancel`. */
export interface CancelResult {
  /** True when a running operation was asked to stop. */
  cancelled: boolean;
}

/** An operation the Node process is running. */
export type OperationName = 'test' | 'plan' | 'explain' | 'syncNow' | 'checkConnection' | 'signIn';

/** `activity`: what is running now (the renderer polls it while an operation runs). */
export interface ActivityResult {
  running: {
    operation: OperationName;
    trigger: 'user' | 'schedule';
    startedAt: string;
    /** Latest read progress (`users` 1200 of 5000…), or null before the first. */
    progress: { phase: string; count: number; total: number | null } | null;
  } | null;
}

/** `scheduleGet` / `scheduleStart` / `scheduleStop`. */
export interface ScheduleStatus {
  enabled: boolean;
  /** Minutes between runs (at least 5). */
  intervalMinutes: number;
  /** ISO time of the next run, or null when stopped. */
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastOutcome: RunOutcome | 'skipped' | null;
  /** Plain words about the last tick ("Skipped: in use by another dirconn process."), or null. */
  lastMessage: string | null;
}

/** `lastSync`: ISO times of the last successful user and group syncs (null when never). */
export interface LastSyncResult {
  users: string | null;
  groups: string | null;
}

/** `reports`: the newest run reports first. */
export interface ReportsResult {
  reports: RunReport[];
}

/** `clearCache`. */
export interface ClearCacheResult {
  /** How many saved configurations (organization + source) had their cache cleared. */
  scopes: number;
}

/** `openFolder` (desktop only; the browser face answers `desktop.unavailable`). */
export interface OpenFolderResult {
  /** The folder opened. */
  path: string;
}

/** `about`. */
export interface AboutResult {
  version: string;
  face: ApiFace;
  /** Runtime versions: node, and electron/chrome in the desktop app. */
  runtime: Record<string, string>;
  platform: string;
  dataDir: string;
  dataFile: string;
  reportsDir: string;
  /** Where the desktop app writes its log, or null when it does not (browser face logs to stderr). */
  logFile: string | null;
}
