// The Microsoft Entra ID plug-in of cloud-bench.ts: the fake Entra/Graph server in this process
// (HTTPS, CA made with openssl and trusted by the CLI through NODE_EXTRA_CA_CERTS), seeded with
// `users` users (1 % disabled) and `groups` groups of 20 direct members, every tenth group nesting the
// next one. The second run of the bench replays the delta links (Graph change tracking).
// Test-only: lives in test-support, never shipped.

import { rm } from 'node:fs/promises';
import { startFakeEntra } from '../../fake-entra/fake-entra-server.js';
import type { CloudBenchPlugin } from './cloud-source.js';

const MEMBERS_PER_GROUP = 20;

/** Route label of a fake Entra request: ids replaced, sign-in requests grouped. */
function routeOf(path: string): string {
  if (path.endsWith('/oauth2/v2.0/token')) return 'token';
  if (path.endsWith('/openid-configuration')) return 'openid-configuration';
  return path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}');
}

/** See the module comment. */
export const entraBench: CloudBenchPlugin = {
  name: 'entra',
  async start(size, cleanup) {
    const entra = await startFakeEntra();
    cleanup.add('close the fake Entra server', () => entra.close());
    cleanup.add('remove the fake Entra TLS files', () => rm(entra.tls.dir, { recursive: true, force: true }));
    const users: string[] = [];
    for (let i = 0; i < size.users; i++) {
      users.push(entra.directory.addUser({ displayName: `User ${i}`, userPrincipalName: `user${i}@bench.onmicrosoft.com`, mail: `user${i}@bench.test`, accountEnabled: i % 100 !== 99 }));
    }
    // Created last to first so a group can nest the next one.
    let nested = 0;
    let next: string | null = null;
    for (let g = size.groups - 1; g >= 0; g--) {
      const members: string[] = [];
      for (let k = 0; k < MEMBERS_PER_GROUP && users.length > 0; k++) members.push(users[(g * MEMBERS_PER_GROUP + k) % users.length] ?? '');
      if (g % 10 === 0 && next !== null) {
        members.push(next);
        nested++;
      }
      next = entra.directory.addGroup({ displayName: `Group ${g}`, members });
    }
    return {
      description: `${size.users} users (${Math.floor(size.users / 100)} disabled), ${size.groups} groups (${MEMBERS_PER_GROUP} members each, ${nested} nested)`,
      settings: [
        ['directory', 'entra'],
        ['entra.identityAuthority', entra.url],
        ['entra.graphUrl', entra.url],
        ['entra.tenant', entra.tenant],
        ['entra.applicationId', entra.clientId],
        ['sync.users', 'true'],
        ['sync.groups', 'true'],
      ],
      env: { DIRCONN_ENTRA_KEY: entra.clientSecret, NODE_EXTRA_CA_CERTS: entra.tls.caCertPath },
      requestsByRoute() {
        const counts: Record<string, number> = {};
        for (const r of entra.requests()) {
          const route = routeOf(r.path);
          counts[route] = (counts[route] ?? 0) + 1;
        }
        return counts;
      },
    };
  },
};
