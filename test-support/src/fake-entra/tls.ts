// TLS material for the fake Entra server, made with openssl by the test (never checked in): a private
// CA, a server certificate for 127.0.0.1/localhost signed by it, and a self-signed RSA certificate
// with its key for the app registration's certificate credential. Test-only.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Files and PEM texts of {@link makeFakeEntraTls}. */
export interface FakeEntraTls {
  dir: string;
  /** The CA certificate to trust (NODE_EXTRA_CA_CERTS). */
  caCertPath: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** The app's certificate and private key in one PEM file (entra.certificatePath). */
  appPemPath: string;
  /** The app's certificate alone (what an admin uploads to the app registration). */
  appCert: string;
}

/** Makes a fresh CA, server certificate and app certificate in a new temp directory. */
export async function makeFakeEntraTls(): Promise<FakeEntraTls> {
  const dir = await mkdtemp(join(tmpdir(), 'dirconn-fake-entra-tls-'));
  const p = (name: string): string => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '3650', '-subj', '/O=dirconn tests/CN=dirconn fake Entra CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await run('openssl', ['req', '-new', ...ec, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/O=dirconn tests/CN=localhost']);
  await writeFile(p('server.ext'), 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  await run('openssl', ['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-out', p('server.crt'), '-days', '3650', '-extfile', p('server.ext')]);
  // The app's credential certificate: RSA, self-signed, as Entra accepts for app registrations.
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('app.key'), '-out', p('app.crt'), '-days', '365', '-subj', '/CN=dirconn fake Entra app']);
  const [caCert, serverCert, serverKey, appKey, appCert] = await Promise.all(['ca.crt', 'server.crt', 'server.key', 'app.key', 'app.crt'].map((f) => readFile(p(f), 'utf8')));
  await writeFile(p('app.pem'), `${appKey ?? ''}${appCert ?? ''}`, { mode: 0o600 });
  return { dir, caCertPath: p('ca.crt'), caCert: caCert ?? '', serverCert: serverCert ?? '', serverKey: serverKey ?? '', appPemPath: p('app.pem'), appCert: appCert ?? '' };
}
