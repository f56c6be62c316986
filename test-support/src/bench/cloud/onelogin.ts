// The OneLogin plug-in of cloud-bench.ts: the fake OneLogin account in this process (HTTPS, CA made
// with openssl and trusted by the CLI through NODE_EXTRA_CA_CERTS), seeded with `users` users (1 %
// suspended) and `groups` roles of 20 users each, with OneLogin's default account-wide limit of 5,000
// API calls per hour, so the figures show how much of the hourly budget one sync spends.
// Test-only: lives in test-support, never shipped.

import { rm } from 'node:fs/promises';
import { startFakeOneLogin } from '../../fake-onelogin/fake-onelogin-server.js';
import { oneLoginGeneratedSeed } from '../../fake-onelogin/state.js';
import type { CloudBenchPlugin } from './cloud-source.js';

const MEMBERS_PER_ROLE = 20;

/** See the module comment. */
export const oneLoginBench: CloudBenchPlugin = {
  name: 'onelogin',
  async start(size, cleanup) {
    const onelogin = await startFakeOneLogin({ seed: oneLoginGeneratedSeed(size.users, size.groups, MEMBERS_PER_ROLE) });
    cleanup.add('close the fake OneLogin account', () => onelogin.close());
    const tlsDir = onelogin.tls?.dir;
    if (tlsDir) cleanup.add('remove the fake OneLogin TLS files', () => rm(tlsDir, { recursive: true, force: true }));
    return {
      description: `${size.users} users (${Math.floor(size.users / 100)} suspended), ${size.groups} roles (${MEMBERS_PER_ROLE} users each), 5000 calls/hour`,
      settings: [
        ['directory', 'onelogin'],
        ['onelogin.clientId', onelogin.clientId],
        ['onelogin.baseUrl', onelogin.url],
        ['sync.users', 'true'],
        ['sync.groups', 'true'],
      ],
      env: { DIRCONN_ONELOGIN_SECRET: onelogin.clientSecret, NODE_EXTRA_CA_CERTS: onelogin.tls?.caCertPath ?? '' },
      requestsByRoute() {
        const counts: Record<string, number> = {};
        for (const r of onelogin.requests) {
          const route = r.route === 'members' ? 'roles/{id}/users' : r.route;
          counts[route] = (counts[route] ?? 0) + 1;
        }
        return counts;
      },
    };
  },
};
