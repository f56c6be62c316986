import { describe, expect, it } from '@jest/globals';
import type { PlannedChange } from '../sync/plan.types.js';
import { selectReportedChanges } from './run-report.js';

const invite = (i: number): PlannedChange => ({ kind: 'invite', externalId: `u${i}`, email: `u${i}@example.com`, reason: 'new' });
const adds = (group: string, n: number): PlannedChange => {
  const members = Array.from({ length: n }, (_, i) => `${group}-${i}@example.com`);
  return { kind: 'group-member-add', externalId: group, group, members, count: n, reason: 'member' };
};

describe('selectReportedChanges', () => {
  it('keeps every removal and identity change and counts membership changes by their members', () => {
    const removal: PlannedChange = { kind: 'remove', externalId: 'gone', email: 'gone@example.com', reason: 'deleted in directory' };
    const changes = [...Array.from({ length: 400 }, (_, i) => invite(i)), adds('G', 500), adds('H', 300), removal, adds('K', 5)];
    const { changes: kept, truncated } = selectReportedChanges(changes);
    expect(truncated).toBe(true);
    expect(kept.filter((c) => c.kind === 'invite')).toHaveLength(400);
    const h = kept.find((c) => c.group === 'H');
    expect(h?.members).toHaveLength(100);
    expect(h?.count).toBe(300);
    expect(kept.find((c) => c.group === 'K')).toBeUndefined();
    expect(kept).toContain(removal);
    expect(changes.find((c) => c.group === 'H')?.members).toHaveLength(300);
  });

  it('is not truncated when everything fits', () => {
    const changes = [invite(1), adds('G', 999)];
    expect(selectReportedChanges(changes)).toEqual({ changes, truncated: false });
  });
});
