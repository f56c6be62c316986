/**
 * Issue #9 item 6: ldapts stops a paged search at a page with no entries even when the server's
 * control on it still carries a cookie. A minimal in-process LDAP server (127.0.0.1, plain, simple
 * bind) answers each paged search request from a script; the session must fail such a read instead
 * of returning the entries of the pages before it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { BerReader, BerWriter } from 'ldapts';
import type { LdapConfig } from './ldap.config.js';
import { LDAP_DEFAULTS } from './ldap.config.js';
import { LdapSession, newStats } from './ldap.session.js';

const PAGED_RESULTS_OID = '1.2.840.113556.1.4.319';

/** One answer to a search request: the entries' DNs and the cookie of the paged control ('' = last page). */
interface Page {
  dns: string[];
  cookie: string;
}

function bindResponse(id: number): Buffer {
  const w = new BerWriter();
  w.startSequence(0x30);
  w.writeInt(id);
  w.startSequence(0x61);
  w.writeEnumeration(0);
  w.writeString('');
  w.writeString('');
  w.endSequence();
  w.endSequence();
  return w.buffer;
}

function entry(id: number, dn: string): Buffer {
  const w = new BerWriter();
  w.startSequence(0x30);
  w.writeInt(id);
  w.startSequence(0x64);
  w.writeString(dn);
  w.startSequence(0x30);
  w.startSequence(0x30);
  w.writeString('mail');
  w.startSequence(0x31);
  w.writeString(`${dn.slice(3, dn.indexOf(','))}@example.com`);
  w.endSequence();
  w.endSequence();
  w.endSequence();
  w.endSequence();
  w.endSequence();
  return w.buffer;
}

function done(id: number, cookie: string): Buffer {
  const value = new BerWriter();
  value.startSequence(0x30);
  value.writeInt(0);
  value.writeBuffer(Buffer.from(cookie), 0x04);
  value.endSequence();
  const w = new BerWriter();
  w.startSequence(0x30);
  w.writeInt(id);
  w.startSequence(0x65);
  w.writeEnumeration(0);
  w.writeString('');
  w.writeString('');
  w.endSequence();
  w.startSequence(0xa0);
  w.startSequence(0x30);
  w.writeString(PAGED_RESULTS_OID);
  w.writeBuffer(value.buffer, 0x04);
  w.endSequence();
  w.endSequence();
  w.endSequence();
  return w.buffer;
}

/** Length of the first complete BER element in `buffer`, or 0 when it is not complete yet. */
function frameLength(buffer: Buffer): number {
  if (buffer.length < 2) return 0;
  const first = buffer[1] ?? 0;
  if (first < 0x80) return buffer.length >= 2 + first ? 2 + first : 0;
  const bytes = first & 0x7f;
  if (buffer.length < 2 + bytes) return 0;
  let length = 0;
  for (let i = 0; i < bytes; i++) length = length * 256 + (buffer[2 + i] ?? 0);
  return buffer.length >= 2 + bytes + length ? 2 + bytes + length : 0;
}

/** Starts the scripted server: the k-th search request gets pages[k]. */
async function startScriptedServer(pages: Page[]): Promise<{ port: number; searches: () => number }> {
  let searches = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let size = frameLength(pending); size > 0; size = frameLength(pending)) {
        const reader = new BerReader(pending.subarray(0, size));
        pending = pending.subarray(size);
        reader.readSequence();
        const id = reader.readInt() ?? 0;
        const op = reader.peek();
        if (op === 0x60) socket.write(bindResponse(id));
        else if (op === 0x63) {
          const page = pages[searches] ?? { dns: [], cookie: '' };
          searches++;
          for (const dn of page.dns) socket.write(entry(id, dn));
          socket.write(done(id, page.cookie));
        } else if (op === 0x42) socket.end();
      }
    });
  });
  running.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { port, searches: () => searches };
}

/** Servers started by the current test and their connections, closed after it. */
const running: { server: Server; sockets: Set<Socket> }[] = [];
afterEach(async () => {
  for (const { server, sockets } of running.splice(0)) {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function pagedRead(pages: Page[]): Promise<{ dns: string[]; searches: number }> {
  const scripted = await startScriptedServer(pages);
  const config: LdapConfig = { ...LDAP_DEFAULTS, hostname: '127.0.0.1', port: scripted.port, rootPath: 'dc=example,dc=com', username: 'cn=reader,dc=example,dc=com', ad: false, connectTimeout: 5 };
  const session = await LdapSession.open({ config, password: 'pw', stats: newStats() });
  const dns: string[] = [];
  try {
    await session.search({ base: { dn: 'dc=example,dc=com', key: 'ldap.rootPath' }, scope: 'sub', filter: '(objectClass=person)', attributes: ['mail'], pageSize: 2 }, (entries) => {
      for (const e of entries) dns.push(e.dn);
    });
  } finally {
    await session.close();
  }
  return { dns, searches: scripted.searches() };
}

describe('paged search: a page with no entries but a cookie', () => {
  it('fails the read (provider.incomplete-read) instead of stopping at the empty page', async () => {
    const pages = [
      { dns: ['cn=a,dc=example,dc=com', 'cn=b,dc=example,dc=com'], cookie: 'c1' },
      { dns: [], cookie: 'c2' },
      { dns: ['cn=c,dc=example,dc=com'], cookie: '' },
    ];
    const error = await pagedRead(pages).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'provider.incomplete-read',
      message: expect.stringContaining('answered a page of the search of dc=example,dc=com (ldap.rootPath) with no entries but a paging cookie'),
    });
  });

  it('reads every page of an ordinary paged search, and an empty result, without complaint', async () => {
    const read = await pagedRead([
      { dns: ['cn=a,dc=example,dc=com', 'cn=b,dc=example,dc=com'], cookie: 'c1' },
      { dns: ['cn=c,dc=example,dc=com'], cookie: '' },
    ]);
    expect(read).toEqual({ dns: ['cn=a,dc=example,dc=com', 'cn=b,dc=example,dc=com', 'cn=c,dc=example,dc=com'], searches: 2 });
    expect(await pagedRead([{ dns: [], cookie: '' }])).toEqual({ dns: [], searches: 1 });
  });
});
