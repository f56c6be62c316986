// The Google Workspace plug-in of cloud-bench.ts: the fake Google Workspace in this process, seeded
// with `users` users on one domain (1 % suspended) and `groups` groups of 20 direct members, every
// tenth group nesting the next one. Test-only: lives in test-support, never shipped.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeGoogle } from '../../fake-google/fake-google-server.js';
import type { CloudBenchPlugin } from './cloud-source.js';

const MEMBERS_PER_GROUP = 20;

/** See the module comment. */
export const googleBench: CloudBenchPlugin = {
  name: 'google',
  async start(size, cleanup) {
    const google = await startFakeGoogle({ seed: { customerId: 'C0bench01', domains: ['bench.test'], users: [{ primaryEmail: 'admin@bench.test', isAdmin: true }] } });
    cleanup.add('close the fake Google Workspace', () => google.close());
    const emails: string[] = [];
    for (let i = 0; i < size.users; i++) {
      const email = `user${i}@bench.test`;
      google.state.addUser({ primaryEmail: email, orgUnitPath: `/Unit${i % 50}`, suspended: i % 100 === 99 });
      emails.push(email);
    }
    // Created last to first so a group can nest the next one.
    let nested = 0;
    for (let g = size.groups - 1; g >= 0; g--) {
      const members: string[] = [];
      for (let k = 0; k < MEMBERS_PER_GROUP && emails.length > 0; k++) members.push(emails[(g * MEMBERS_PER_GROUP + k) % emails.length] ?? '');
      if (g % 10 === 0 && g + 1 < size.groups) {
        members.push(`group${g + 1}@bench.test`);
        nested++;
      }
      google.state.addGroup({ email: `group${g}@bench.test`, name: `Group ${g}`, members });
    }
    const keyFile = join(size.workDir, 'google-service-account.json');
    writeFileSync(keyFile, google.keyFile(), { mode: 0o600 });
    return {
      description: `${size.users} users (${Math.floor(size.users / 100)} suspended), ${size.groups} groups (${MEMBERS_PER_GROUP} members each, ${nested} nested)`,
      settings: [
        ['directory', 'google'],
        ['google.keyFile', keyFile],
        ['google.customer', 'my_customer'],
        ['google.adminUser', 'admin@bench.test'],
        ['google.rootUrl', google.rootUrl],
        ['sync.users', 'true'],
        ['sync.groups', 'true'],
      ],
      env: {},
      requestsByRoute() {
        const counts: Record<string, number> = {};
        for (const r of google.requests) counts[r.route] = (counts[r.route] ?? 0) + 1;
        return counts;
      },
    };
  },
};
