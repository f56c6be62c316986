// The fake Bitwarden server the syncs talk to, in this process, with request counting per run.
// Test-only: lives in test-support, never shipped.

import { startFakeBitwarden } from '../fake-bitwarden/fake-bitwarden-server.js';
import type { FakeBitwarden } from '../fake-bitwarden/fake-bitwarden-server.js';
import type { Cleanup } from './cleanup.js';

/** Options for the fake. */
export interface FakeTargetOptions {
  /** Self-hosted server: no 2000-member limit per import. Default true. */
  selfHosted?: boolean;
  /**
   * Memoise the fake's `membersOf`/`groupsOf` while it answers read requests. The fake's read
   * endpoints filter every member of the state on each request (O(members) per
   * `GET /public/groups/{id}/member-ids`), which makes the fake, not dirconn, the bottleneck of a
   * live-organization read at 100k members. The memo is dropped as soon as any other request
   * (token, import) arrives, so answers stay exact. Default false.
   */
  fastReads?: boolean;
}

const READ_ROUTES = new Set(['members', 'member', 'member-group-ids', 'groups', 'group', 'group-member-ids', 'events', 'subscription']);

/** See FakeTargetOptions.fastReads. Patches this fake instance only. */
function memoiseFakeReads(fake: FakeBitwarden): void {
  const state = fake.state;
  const membersOf = state.membersOf.bind(state);
  const groupsOf = state.groupsOf.bind(state);
  const take = fake.faults.take.bind(fake.faults);
  let reading = false;
  const members = new Map<string, ReturnType<typeof membersOf>>();
  const groups = new Map<string, ReturnType<typeof groupsOf>>();
  // Every request passes through faults.take(route, method) right before it is handled synchronously.
  fake.faults.take = (route, method) => {
    reading = READ_ROUTES.has(route) && method.toUpperCase() === 'GET';
    if (!reading) {
      members.clear();
      groups.clear();
    }
    return take(route, method);
  };
  state.membersOf = (orgId) => {
    if (!reading) return membersOf(orgId);
    let list = members.get(orgId);
    if (list === undefined) members.set(orgId, (list = membersOf(orgId)));
    return list;
  };
  state.groupsOf = (orgId) => {
    if (!reading) return groupsOf(orgId);
    let list = groups.get(orgId);
    if (list === undefined) groups.set(orgId, (list = groupsOf(orgId)));
    return list;
  };
}

/** The fake Bitwarden server in this process, with request counting. */
export class FakeTarget {
  #mark = 0;

  private constructor(readonly fake: FakeBitwarden) {}

  static async start(cleanup: Cleanup, options: FakeTargetOptions = {}): Promise<FakeTarget> {
    const fake = await startFakeBitwarden({ selfHosted: options.selfHosted ?? true });
    cleanup.add('close the fake Bitwarden server', () => fake.close());
    if (options.fastReads) memoiseFakeReads(fake);
    return new FakeTarget(fake);
  }

  /** Starts counting requests from now. */
  mark(): void {
    this.#mark = this.fake.requests().length;
  }

  /** Requests since `mark()`, by route (`token`, `import`, `members`, `groups`, `group-member-ids` …). */
  countSinceMark(): HttpCounts {
    const byRoute: Record<string, number> = {};
    let failed = 0;
    let importBytes = 0;
    const log = this.fake.requests();
    for (let i = this.#mark; i < log.length; i++) {
      const entry = log[i];
      if (entry === undefined) continue;
      byRoute[entry.route] = (byRoute[entry.route] ?? 0) + 1;
      if (entry.status < 200 || entry.status >= 300) failed++;
      if (entry.route === 'import') importBytes += entry.bytes;
    }
    const token = byRoute['token'] ?? 0;
    const imports = byRoute['import'] ?? 0;
    const total = log.length - this.#mark;
    return { total, token, import: imports, reads: total - token - imports, failed, importBytes, byRoute };
  }

  /** Forgets the request log (it holds request bodies). */
  clear(): void {
    this.fake.clearRequests();
    this.#mark = 0;
  }

  /** Members and groups now in the default organization. */
  counts(): { members: number; groups: number } {
    return { members: this.fake.members().length, groups: this.fake.groups().length };
  }
}

/** HTTP requests of one run. */
export interface HttpCounts {
  total: number;
  token: number;
  import: number;
  /** Everything else (GET members, groups, group member ids …). */
  reads: number;
  /** Answers other than 2xx. */
  failed: number;
  /** Bytes of import bodies. */
  importBytes: number;
  byRoute: Record<string, number>;
}
