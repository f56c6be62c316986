/**
 * The desktop API, declared once (STYLE.md §8, ARCHITECTURE.md "Three faces over one set of use
 * cases"): method name → zod input schema → result type. The preload builds its bridge from the
 * same method list, Electron main and `dirconn ui` register handlers from a table typed against it
 * (a missing handler fails to compile), and both validate every payload with these schemas before a
 * handler runs. Schemas check shape and bounds only; the meaning of a value (a URL, an LDAP filter,
 * a client id) is checked by the same core validators the CLI uses.
 */
import { z } from 'zod';
import type { ApiMethod } from './api-methods.js';
import type {
  AboutResult,
  ActivityResult,
  CancelResult,
  CheckConnectionResult,
  ClearCacheResult,
  ExplainResult,
  LastSyncResult,
  LogoutResult,
  OpenFolderResult,
  PlanView,
  ReportsResult,
  ScheduleStatus,
  SetSecretResult,
  SetSettingsResult,
  SettingsList,
  SignInResult,
  StatusResult,
  SyncNowResult,
  TestResult,
} from './api-types.js';

export { API_METHOD_NAMES, ipcChannel, isApiMethod, type ApiMethod } from './api-methods.js';
export type * from './api-types.js';

/** The shortest schedule interval in minutes (the reference's minimum too). */
export const MIN_SCHEDULE_MINUTES = 5;
/** The longest schedule interval in minutes (one week). */
export const MAX_SCHEDULE_MINUTES = 7 * 24 * 60;

const none = z.strictObject({});
const url = z.string().trim().min(1).max(2048);

/** The server choice on the sign-in screen. */
export const serverChoiceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('us') }),
  z.strictObject({ kind: z.literal('eu') }),
  z.strictObject({ kind: z.literal('self-hosted'), url }),
  z.strictObject({ kind: z.literal('custom'), apiUrl: url, identityUrl: url }),
]);

/**
 * One-run overrides of the safety checks, the CLI's `--allow-removals N|all`, `--allow-empty`,
 * `--allow-membership-removals N`, `--allow-source-change` and `--allow-seat-overflow` (core's SyncOverrides, minus the
 * internal `ignoreHash`).
 */
export const overridesSchema = z.strictObject({
  allowRemovals: z.union([z.number().int().min(0).max(10_000_000), z.literal('all')]).optional(),
  allowEmpty: z.boolean().optional(),
  allowMembershipRemovals: z.number().int().min(0).max(100_000_000).optional(),
  allowSourceChange: z.boolean().optional(),
  allowSeatOverflow: z.boolean().optional(),
});

/** A setting value as a form sends it; parsed and checked by the setting's own validator. */
export const settingValueSchema = z.union([z.string().max(100_000), z.number().finite(), z.boolean(), z.null()]);

/** Input schema of every method. Keys must be exactly {@link ApiMethod} (checked below). */
export const apiInputs = {
  status: none,
  signIn: z.strictObject({
    server: serverChoiceSchema,
    /** `organization.<uuid>` (checked by the core's client-id validator). */
    clientId: z.string().trim().min(1).max(200),
    clientSecret: z.string().min(1).max(1000),
  }),
  logout: none,
  listSettings: z.strictObject({
    /** Show this source's settings instead of the saved choice's (the picker before Save). */
    directoryType: z.string().min(1).max(64).optional(),
  }),
  setSettings: z.strictObject({
    /** Setting key → new value; all are validated and saved in one write, or none is. */
    values: z
      .record(z.string().min(1).max(200), settingValueSchema)
      .refine((values) => Object.keys(values).length > 0, { message: 'at least one setting' })
      .refine((values) => Object.keys(values).length <= 200, { message: 'at most 200 settings' }),
    /** Check DNs against the directory when it is reachable (the CLI's default; `--no-verify` off). */
    verify: z.boolean().default(true),
  }),
  setSecret: z.strictObject({
    key: z.string().min(1).max(200),
    value: z.string().min(1).max(100_000),
  }),
  checkConnection: none,
  test: z.strictObject({
    /** Only changes since the last successful sync (delta read) instead of everything. */
    sinceLastSync: z.boolean().default(false),
  }),
  plan: z.strictObject({ overrides: overridesSchema.default({}) }),
  explain: z.strictObject({ query: z.string().trim().min(1).max(500) }),
  syncNow: z.strictObject({ overrides: overridesSchema.default({}) }),
  cancel: none,
  activity: none,
  scheduleGet: none,
  scheduleStart: z.strictObject({
    /** Minutes between runs; default the saved `sync.interval`. */
    intervalMinutes: z.number().int().min(MIN_SCHEDULE_MINUTES).max(MAX_SCHEDULE_MINUTES).optional(),
  }),
  scheduleStop: none,
  lastSync: none,
  reports: z.strictObject({ limit: z.number().int().min(1).max(50).default(10) }),
  clearCache: none,
  about: none,
  /** Desktop only: opens the data folder (reports, schedule) or the folder of the log in the file manager. */
  openFolder: z.strictObject({ folder: z.enum(['data', 'logs']) }),
} satisfies Record<ApiMethod, z.ZodType>;

/** Result type of every method. */
export interface ApiResults {
  status: StatusResult;
  signIn: SignInResult;
  logout: LogoutResult;
  listSettings: SettingsList;
  setSettings: SetSettingsResult;
  setSecret: SetSecretResult;
  checkConnection: CheckConnectionResult;
  test: TestResult;
  plan: PlanView;
  explain: ExplainResult;
  syncNow: SyncNowResult;
  cancel: CancelResult;
  activity: ActivityResult;
  scheduleGet: ScheduleStatus;
  scheduleStart: ScheduleStatus;
  scheduleStop: ScheduleStatus;
  lastSync: LastSyncResult;
  reports: ReportsResult;
  clearCache: ClearCacheResult;
  about: AboutResult;
  openFolder: OpenFolderResult;
}

/** What a caller passes (defaults may be omitted). */
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputs)[M]>;
/** What a handler receives after validation (defaults filled in). */
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputs)[M]>;
/** What a method resolves to. */
export type ApiResult<M extends ApiMethod> = ApiResults[M];

// Compile-time: the schema table, the result table and the method list have the same keys.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
const schemaKeysMatch: SameKeys<typeof apiInputs, Record<ApiMethod, unknown>> = true;
const resultKeysMatch: SameKeys<ApiResults, Record<ApiMethod, unknown>> = true;
void schemaKeysMatch;
void resultKeysMatch;
