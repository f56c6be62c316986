import { describe, expect, it } from '@jest/globals';
import {
  checkEntraFilter,
  checkEntraGroupFilter,
  checkEntraUserFilter,
  groupFilterRejection,
  hasGroupSetFilter,
  NO_GROUP_FILTER,
  NO_USER_FILTER,
  parseEntraGroupFilter,
  parseEntraUserFilter,
  userFilterNeedsGroups,
  userFilterRejection,
} from './entra.filter.js';

const G1 = '11111111-1111-1111-1111-111111111111';
const G2 = '22222222-2222-2222-2222-222222222222';
const G3 = '33333333-3333-3333-3333-333333333333';
const noScope = { included: null, excluded: new Set<string>() };

describe('Entra user filter grammar (reference §5.3)', () => {
  it('treats blank as no filter', () => {
    expect(parseEntraUserFilter('')).toBe(NO_USER_FILTER);
    expect(parseEntraUserFilter('   ')).toBe(NO_USER_FILTER);
    expect(parseEntraUserFilter(null)).toBe(NO_USER_FILTER);
    expect(userFilterNeedsGroups(NO_USER_FILTER)).toBe(false);
  });

  it('include: and exclude: emails, keyword case-insensitive, values trimmed and lower-cased', () => {
    const include = parseEntraUserFilter('Include: Alice@Example.com , bob@example.com');
    expect(include.emails).toEqual({ mode: 'include', values: new Set(['alice@example.com', 'bob@example.com']) });
    expect(include.clauses).toEqual(['include:alice@example.com,bob@example.com']);
    expect(userFilterRejection(include, { id: 'u1', email: 'ALICE@example.com' }, noScope)).toBeNull();
    expect(userFilterRejection(include, { id: 'u2', email: 'carol@example.com' }, noScope)).toMatch(/not listed in include:/);
    expect(userFilterRejection(include, { id: 'u3', email: null }, noScope)).toMatch(/not listed/);
    const exclude = parseEntraUserFilter('EXCLUDE:alice@example.com');
    expect(userFilterRejection(exclude, { id: 'u1', email: 'alice@example.com' }, noScope)).toMatch(/listed in exclude:alice@example.com/);
    expect(userFilterRejection(exclude, { id: 'u2', email: 'bob@example.com' }, noScope)).toBeNull();
    expect(userFilterNeedsGroups(exclude)).toBe(false);
  });

  it('includeGroup: ids are lower-cased; membership decides', () => {
    const filter = parseEntraUserFilter(`includeGroup:${G1.toUpperCase()},${G2}`);
    expect(filter.includeGroupIds).toEqual(new Set([G1, G2]));
    expect(userFilterNeedsGroups(filter)).toBe(true);
    const scope = { included: new Set(['u1']), excluded: new Set<string>() };
    expect(userFilterRejection(filter, { id: 'u1', email: 'a@x.com' }, scope)).toBeNull();
    expect(userFilterRejection(filter, { id: 'u2', email: 'b@x.com' }, scope)).toMatch(/not a member \(direct or nested\) of includeGroup:/);
  });

  it('excludeGroup: as primary means every user minus the groups\' members', () => {
    const filter = parseEntraUserFilter(`excludeGroup:${G1}`);
    expect(filter.includeGroupIds).toBeNull();
    expect(filter.excludeGroupIds).toEqual(new Set([G1]));
    const scope = { included: null, excluded: new Set(['u1']) };
    expect(userFilterRejection(filter, { id: 'u1', email: 'a@x.com' }, scope)).toMatch(/a member of excludeGroup:/);
    expect(userFilterRejection(filter, { id: 'u2', email: 'b@x.com' }, scope)).toBeNull();
  });

  it('secondary clauses after includeGroup: excludeGroup (repeatable, merged) and exclude: emails', () => {
    const filter = parseEntraUserFilter(`includeGroup:${G1}|excludeGroup:${G2}|excludeGroup:${G3}|exclude:Test@X.com`);
    expect(filter.excludeGroupIds).toEqual(new Set([G2, G3]));
    expect(filter.excludeEmails).toEqual(new Set(['test@x.com']));
    expect(filter.clauses).toEqual([`includeGroup:${G1}`, `excludeGroup:${G2}`, `excludeGroup:${G3}`, 'exclude:test@x.com']);
    const scope = { included: new Set(['u1', 'u2', 'u3']), excluded: new Set(['u2']) };
    expect(userFilterRejection(filter, { id: 'u1', email: 'a@x.com' }, scope)).toBeNull();
    expect(userFilterRejection(filter, { id: 'u2', email: 'b@x.com' }, scope)).toMatch(/a member of excludeGroup:/);
    expect(userFilterRejection(filter, { id: 'u3', email: 'TEST@x.com' }, scope)).toMatch(/listed in exclude:test@x.com/);
  });

  it.each([
    ['a,b', /not a <keyword>:<values> clause/],
    ['include:a:b', /contains ":"/],
    ['only:a@x.com', /unknown keyword "only"/],
    ['include:', /no values after "include:"/],
    ['include: , ', /no values/],
    ['|exclude:a@x.com', /first clause is empty/],
    ['include:a@x.com|exclude:b@x.com', /only allowed after an includeGroup clause/],
    [`excludeGroup:${G1}|exclude:b@x.com`, /only allowed after an includeGroup clause/],
    [`includeGroup:${G1}|include:b@x.com`, /cannot follow includeGroup/],
    [`includeGroup:${G1}||exclude:b@x.com`, /empty clause/],
    [`includeGroup:${G1}|includeGroup:${G2}`, /cannot follow includeGroup/],
  ])('rejects %s with a message naming the problem', (text, message) => {
    expect(() => parseEntraUserFilter(text)).toThrow(message);
    expect(() => parseEntraUserFilter(text)).toThrow(expect.objectContaining({ code: 'config.invalid', hint: expect.stringContaining('includeGroup') }));
    expect(checkEntraUserFilter(text)).toMatch(message);
  });
});

describe('Entra group filter grammar (reference §5.3)', () => {
  it('treats blank as no filter', () => {
    expect(parseEntraGroupFilter(' ')).toBe(NO_GROUP_FILTER);
    expect(hasGroupSetFilter(NO_GROUP_FILTER)).toBe(false);
  });

  it('include:/exclude: display names, case-insensitive', () => {
    const include = parseEntraGroupFilter('include:Integration Testing Group A, Sales');
    expect(hasGroupSetFilter(include)).toBe(true);
    expect(groupFilterRejection(include, { id: G1, displayName: 'integration testing group a' }, null)).toBeNull();
    expect(groupFilterRejection(include, { id: G2, displayName: 'Integration Testing Group B' }, null)).toMatch(/not listed in include:/);
    const exclude = parseEntraGroupFilter('exclude:Sales');
    expect(groupFilterRejection(exclude, { id: G2, displayName: 'SALES' }, null)).toMatch(/listed in exclude:sales/);
    expect(groupFilterRejection(exclude, { id: G1, displayName: 'Engineering' }, null)).toBeNull();
  });

  it('includeAdministrativeUnit:/excludeAdministrativeUnit: by the groups in those units', () => {
    const include = parseEntraGroupFilter(`includeAdministrativeUnit:${G3.toUpperCase()}`);
    expect(include.administrativeUnits).toEqual({ mode: 'include', ids: new Set([G3]) });
    const inUnits = new Set([G1]);
    expect(groupFilterRejection(include, { id: G1, displayName: 'A' }, inUnits)).toBeNull();
    expect(groupFilterRejection(include, { id: G2, displayName: 'B' }, inUnits)).toMatch(/not in includeAdministrativeUnit:/);
    const exclude = parseEntraGroupFilter(`excludeAdministrativeUnit:${G3}`);
    expect(groupFilterRejection(exclude, { id: G1, displayName: 'A' }, inUnits)).toMatch(/^in excludeAdministrativeUnit:/);
    expect(groupFilterRejection(exclude, { id: G2, displayName: 'B' }, inUnits)).toBeNull();
  });

  it.each([
    ['include:a|exclude:b', /one clause/],
    ['includeGroup:x', /unknown keyword "includeGroup"/],
    ['include:a:b', /contains ":"/],
    ['exclude:', /no values/],
    ['Sales', /not a <keyword>:<values> clause/],
  ])('rejects %s', (text, message) => {
    expect(() => parseEntraGroupFilter(text)).toThrow(message);
    expect(checkEntraGroupFilter(text)).toMatch(message);
  });

  it('the definition-level check accepts a filter valid as either setting', () => {
    expect(checkEntraFilter(`includeGroup:${G1}|exclude:a@x.com`)).toBeUndefined();
    expect(checkEntraFilter(`includeAdministrativeUnit:${G1}`)).toBeUndefined();
    expect(checkEntraFilter('nope:x')).toMatch(/unknown keyword/);
  });
});
