/**
 * Ports: the interfaces core needs from the outside world. Adapters live in libs/storage,
 * libs/providers and the apps; in-memory fakes ship from `@dirconn/core/testing`.
 */

/** Structured logger. Implementations must never receive secrets; callers never pass them. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface Clock {
  now(): Date;
  /** Resolves after `ms` (or rejects with `cancelled` when the signal aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A minimal HTTP request/response port so core stays free of Node and of any HTTP library. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request. Resolves for every HTTP status; rejects only for network-level failures
 * (connection refused/reset, DNS, TLS, timeout) with a DirconnError (`bitwarden.unreachable`) or an
 * error whose `code` property is a Node system error code.
 */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}

/** An environment override that supplies a secret at run time (the variable's name, never its value). */
export interface SecretOverride {
  kind: 'variable' | 'file';
  /** `DIRCONN_LDAP_PASSWORD`, `DIRCONN_LDAP_PASSWORD_FILE`, `BW_CLIENTSECRET`… */
  name: string;
}

/** Where secrets live: OS keychain, env/file inputs, or plaintext when opted in. */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<void>;
  /** Human description for output, e.g. "OS keychain (Secret Service)". */
  readonly description: string;
  /**
   * The environment override supplying `account` now, or null when the stored value is used. Absent
   * on stores without overrides. Throws `config.invalid` when the override is ambiguous.
   */
  overrideFor?(account: string): SecretOverride | null;
}

/**
 * Read access to files an admin names (CA bundles, key files, saved plans). Both methods reject with
 * an error whose `code` property is the system error code (`ENOENT`, `EACCES`…) when the file cannot
 * be read.
 */
export interface FileReader {
  /** The whole file as UTF-8 text. */
  readText(path: string): Promise<string>;
  /** Resolves when the file exists and can be read by this process. */
  checkReadable(path: string): Promise<void>;
}

/**
 * Writes the status files an admin names (`--metrics-file`, `--heartbeat-file`). Rejects with an
 * error whose `code` property is the system error code when the file cannot be written.
 */
export interface FileWriter {
  /** Replaces `path` with `text` so readers see the old or the new file, never a half-written one (temp file + rename). */
  writeTextAtomic(path: string, text: string): Promise<void>;
  /** Creates `path` when missing and sets its modification time to now. */
  touch(path: string): Promise<void>;
}

/** The system error code (`ENOENT`…) of a FileReader rejection, or undefined. */
export function fileErrorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
