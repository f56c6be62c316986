import { describe, expect, it } from '@jest/globals';
import type { AdUsnMark, LdapCursor } from './ldap.cursor.js';
import type { DeltaDecisionInput } from './ldap.delta.js';
import { decideDelta } from './ldap.delta.js';

const DC1: AdUsnMark = { server: 'CN=NTDS Settings,CN=DC1,CN=Servers,CN=Site,CN=Sites,CN=Configuration,DC=corp,DC=example', invocationId: 'ab'.repeat(16), highest: '5000' };
const cursor: LdapCursor = { v: 1, lastSync: '2024-01-02T03:30:00.000Z', fingerprint: 'fp-1', deltaCapable: true };
const base: DeltaDecisionInput = { force: false, since: cursor, revision: 'whenChanged', fingerprint: 'fp-1', usnMark: null, overlapMs: 10 * 60 * 1000 };

describe('decideDelta: full reads', () => {
  it('reads everything on a first run (no saved cursor), without a warning', () => {
    expect(decideDelta({ ...base, since: undefined })).toEqual({ cursor: undefined, delta: null });
    expect(decideDelta({ ...base, since: null })).toEqual({ cursor: undefined, delta: null });
  });

  it('reads everything when forced, even with a valid cursor (core forces when sync.fullSyncIntervalHours elapsed)', () => {
    expect(decideDelta({ ...base, force: true })).toEqual({ cursor: undefined, delta: null });
    expect(decideDelta({ ...base, force: true, since: { ...cursor, usn: DC1 }, usnMark: DC1 })).toEqual({ cursor: undefined, delta: null });
  });

  it('reads everything without a revision attribute (no delta mechanism at all)', () => {
    expect(decideDelta({ ...base, revision: null })).toEqual({ cursor: undefined, delta: null });
  });

  it('refuses a cursor it did not make, with ldap.cursor-unknown', () => {
    const decision = decideDelta({ ...base, since: '2024-01-02T03:30:00.000Z' });
    expect(decision).toMatchObject({ cursor: undefined, delta: null, warning: { code: 'ldap.cursor-unknown' } });
  });

  it('refuses a cursor made under other settings, with ldap.cursor-stale', () => {
    const decision = decideDelta({ ...base, fingerprint: 'fp-2' });
    expect(decision).toMatchObject({ cursor: undefined, delta: null, warning: { code: 'ldap.cursor-stale' } });
  });

  it('refuses a cursor whose read saw no revision attribute, naming the attribute', () => {
    const decision = decideDelta({ ...base, since: { ...cursor, deltaCapable: false } });
    expect(decision).toMatchObject({ cursor: undefined, delta: null, warning: { code: 'ldap.delta-unavailable', message: expect.stringContaining('"whenChanged"') } });
  });
});

describe('decideDelta: delta reads', () => {
  it('uses the revision time minus the overlap without a USN mark (OpenLDAP, or AD USNs off)', () => {
    const decision = decideDelta(base);
    expect(decision).toEqual({ cursor, delta: { kind: 'time', time: '20240102032000.0Z' } });
    expect(decision.warning).toBeUndefined();
    expect(decideDelta({ ...base, overlapMs: 0 }).delta).toEqual({ kind: 'time', time: '20240102033000.0Z' });
  });

  it('asks for uSNChanged above the saved mark when the same DC answers', () => {
    const since = { ...cursor, usn: DC1, tombstonesVisible: false };
    const decision = decideDelta({ ...base, since, usnMark: { ...DC1, highest: '5200' } });
    expect(decision).toEqual({ cursor: since, delta: { kind: 'usn', from: '5001' } });
  });

  it('compares DC names case- and blank-insensitively, and USNs as integers beyond 2^53', () => {
    const since = { ...cursor, usn: { ...DC1, highest: '9007199254740993' } };
    const now = { ...DC1, server: ` ${DC1.server.toLowerCase()} `, highest: '9007199254740993' };
    expect(decideDelta({ ...base, since, usnMark: now }).delta).toEqual({ kind: 'usn', from: '9007199254740994' });
  });

  it('falls back to whenChanged when another DC answers', () => {
    const since = { ...cursor, usn: DC1 };
    const dc2 = { ...DC1, server: DC1.server.replace('CN=DC1', 'CN=DC2'), highest: '7000' };
    const decision = decideDelta({ ...base, since, usnMark: dc2 });
    expect(decision).toEqual({ cursor: since, delta: { kind: 'time', time: '20240102032000.0Z' }, usnFallback: { previous: DC1.server, now: dc2.server } });
  });

  it('falls back to whenChanged when the same DC has another invocationId (restored database)', () => {
    const since = { ...cursor, usn: DC1 };
    const restored = { ...DC1, invocationId: 'cd'.repeat(16), highest: '9000' };
    expect(decideDelta({ ...base, since, usnMark: restored })).toMatchObject({ delta: { kind: 'time' }, usnFallback: { previous: DC1.server, now: DC1.server } });
  });

  it('falls back to whenChanged when the DC\'s USN went below the saved mark', () => {
    const since = { ...cursor, usn: DC1 };
    expect(decideDelta({ ...base, since, usnMark: { ...DC1, highest: '4999' } })).toMatchObject({ delta: { kind: 'time' }, usnFallback: { previous: DC1.server } });
    expect(decideDelta({ ...base, since, usnMark: { ...DC1, highest: '5000' } }).delta).toEqual({ kind: 'usn', from: '5001' });
  });

  it('uses whenChanged without a fallback note when the cursor has no USN mark or the DC publishes none', () => {
    expect(decideDelta({ ...base, usnMark: DC1 })).toEqual({ cursor, delta: { kind: 'time', time: '20240102032000.0Z' } });
    expect(decideDelta({ ...base, since: { ...cursor, usn: DC1 }, usnMark: null })).toEqual({ cursor: { ...cursor, usn: DC1 }, delta: { kind: 'time', time: '20240102032000.0Z' } });
  });
});
