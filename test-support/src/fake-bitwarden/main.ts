// Command-line entry of the fake Bitwarden server, for the README demo and the bench:
//
//   node test-support/dist/fake-bitwarden/main.js --port 8087 [--mode vaultwarden] [--self-hosted]
//        [--seats 10] [--max-autoscale-seats 20] [--staged] [--groups-enabled] [--rate-limit]
//        [--org-id GUID] [--api-key KEY] [--state-file state.json]
//
// Prints one JSON line on stdout once listening:
//   {"url":…,"apiUrl":…,"identityUrl":…,"mode":…,"organizationId":…,"clientId":…,"apiKey":…,"pid":…}
// (the API key is a throw-away secret of this test server). On SIGTERM/SIGINT it writes the state
// to --state-file (when given) and exits. Test-only: never shipped.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startFakeBitwarden } from './fake-bitwarden-server.js';
import type { FakeMode, FakeOrganizationSeed } from './state.js';

const USAGE = 'usage: main.js [--port N] [--mode bitwarden|vaultwarden] [--self-hosted] [--seats N] [--max-autoscale-seats N] [--staged] [--groups-enabled] [--no-smtp] [--rate-limit] [--org-id GUID] [--api-key KEY] [--state-file PATH]';

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      mode: { type: 'string', default: 'bitwarden' },
      'self-hosted': { type: 'boolean', default: false },
      seats: { type: 'string' },
      'max-autoscale-seats': { type: 'string' },
      staged: { type: 'boolean', default: false },
      'groups-enabled': { type: 'boolean', default: false },
      'no-smtp': { type: 'boolean', default: false },
      'rate-limit': { type: 'boolean', default: false },
      'state-file': { type: 'string' },
      'org-id': { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const mode = values.mode as FakeMode;
  if (mode !== 'bitwarden' && mode !== 'vaultwarden') throw new Error('--mode must be bitwarden or vaultwarden');
  const organization: FakeOrganizationSeed = { stagedFlag: values.staged, groupsEnabled: values['groups-enabled'], smtpEnabled: !values['no-smtp'] };
  const seats = intOption(values.seats, 'seats');
  if (seats !== undefined) organization.seats = seats;
  const maxSeats = intOption(values['max-autoscale-seats'], 'max-autoscale-seats');
  if (maxSeats !== undefined) organization.maxAutoscaleSeats = maxSeats;
  const orgId = values['org-id'];
  if (orgId !== undefined) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(orgId)) throw new Error('--org-id must be a GUID');
    organization.id = orgId;
  }
  if (values['api-key'] !== undefined) organization.apiKey = values['api-key'];

  const fake = await startFakeBitwarden({
    mode,
    selfHosted: values['self-hosted'],
    port: intOption(values.port, 'port') ?? 0,
    rateLimit: values['rate-limit'],
    organization,
  });
  process.stdout.write(
    `${JSON.stringify({
      url: fake.url,
      apiUrl: fake.apiUrl,
      identityUrl: fake.identityUrl,
      mode: fake.mode,
      organizationId: fake.organization.id,
      clientId: fake.clientId,
      apiKey: fake.apiKey,
      pid: process.pid,
    })}\n`,
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const stateFile = values['state-file'];
    if (stateFile !== undefined) writeFileSync(stateFile, `${JSON.stringify({ state: fake.snapshot(), requests: fake.requests() }, null, 2)}\n`, { mode: 0o600 });
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-bitwarden: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
});
