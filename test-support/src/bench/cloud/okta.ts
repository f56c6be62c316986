// The Okta plug-in of cloud-bench.ts: the fake Okta org in this process, seeded with `users` users
// (1 % suspended, 1 % deprovisioned) and `groups` groups of 20 direct members (every tenth an
// APP_GROUP), with Okta's default-like rate limits (600 user and 1000 group requests per minute), so
// the figures include the time spent pacing. Test-only: lives in test-support, never shipped.

import { startFakeOkta } from '../../fake-okta/fake-okta-server.js';
import { oktaGeneratedSeed } from '../../fake-okta/state.js';
import type { CloudBenchPlugin } from './cloud-source.js';

const MEMBERS_PER_GROUP = 20;

/** See the module comment. */
export const oktaBench: CloudBenchPlugin = {
  name: 'okta',
  async start(size, cleanup) {
    const okta = await startFakeOkta({ seed: oktaGeneratedSeed(size.users, size.groups, MEMBERS_PER_GROUP) });
    cleanup.add('close the fake Okta org', () => okta.close());
    return {
      description: `${size.users} users (${Math.ceil(size.users / 100)} suspended, ${Math.ceil(size.users / 100)} deprovisioned), ${size.groups} groups (${MEMBERS_PER_GROUP} members each)`,
      settings: [
        ['directory', 'okta'],
        ['okta.orgUrl', okta.url],
        ['sync.users', 'true'],
        ['sync.groups', 'true'],
      ],
      env: { DIRCONN_OKTA_TOKEN: okta.token },
      requestsByRoute() {
        const counts: Record<string, number> = {};
        for (const r of okta.requests) counts[r.route] = (counts[r.route] ?? 0) + 1;
        return counts;
      },
    };
  },
};
