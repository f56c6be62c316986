import { describe, expect, it } from '@jest/globals';
import type { DirectoryGroup } from '../model/directory.js';
import { directoryB, group } from '../testing/index.js';
import { flattenGroups, MAX_WALKED_CYCLE, resolveChildGroups, stronglyConnectedComponents } from './flatten.js';

/** Each group X has one direct user named X (the reference's unit-test convention). */
function graph(edges: Record<string, string[]>): DirectoryGroup[] {
  return Object.entries(edges).map(([name, children]) => group({ name, users: [name], children }));
}

function members(groups: DirectoryGroup[]): Record<string, string[]> {
  return Object.fromEntries(flattenGroups(groups).map((g) => [g.name, [...g.userExternalIds].sort()]));
}

describe('flattenGroups: the reference cases (§7.4)', () => {
  it('A ↔ B', () => {
    expect(members(graph({ A: ['B'], B: ['A'] }))).toEqual({ A: ['A', 'B'], B: ['A', 'B'] });
  });

  it('A → B → C → A', () => {
    expect(members(graph({ A: ['B'], B: ['C'], C: ['A'] }))).toEqual({ A: ['A', 'B', 'C'], B: ['A', 'B', 'C'], C: ['A', 'B', 'C'] });
  });

  it('diamond A → {B, C}, B → D, C → D', () => {
    expect(members(graph({ A: ['B', 'C'], B: ['D'], C: ['D'], D: [] }))).toEqual({
      A: ['A', 'B', 'C', 'D'],
      B: ['B', 'D'],
      C: ['C', 'D'],
      D: ['D'],
    });
  });

  it('A → B → C → D → B', () => {
    expect(members(graph({ A: ['B'], B: ['C'], C: ['D'], D: ['B'] }))).toEqual({
      A: ['A', 'B', 'C', 'D'],
      B: ['B', 'C', 'D'],
      C: ['B', 'C', 'D'],
      D: ['B', 'C', 'D'],
    });
  });

  it('A → {B, C}, B → {D, E}, C → {E, F}, D → A, E → C, F leaf', () => {
    const all = ['A', 'B', 'C', 'D', 'E', 'F'];
    expect(members(graph({ A: ['B', 'C'], B: ['D', 'E'], C: ['E', 'F'], D: ['A'], E: ['C'], F: [] }))).toEqual({
      A: all,
      B: all,
      C: ['C', 'E', 'F'],
      D: all,
      E: ['C', 'E', 'F'],
      F: ['F'],
    });
  });
});

describe('flattenGroups: circular Directory B (§12.2)', () => {
  it('gives the expected closure', () => {
    const result = members(directoryB().groups!);
    const eng = ['Alice', 'Bob', 'Carol', 'David'];
    expect(result).toEqual({
      Engineering: eng,
      DevOps: eng,
      Platform: eng,
      Contractors: eng,
      QA: ['Carol', 'David'],
      Marketing: ['Eva', 'Frank'],
      HR: ['Roland', 'Teirtza'],
      TestNestA: ['Roland', 'Teirtza'],
      TestNestB: ['Roland', 'Teirtza'],
      AllStaff: ['Alice', 'Bob', 'Carol', 'David', 'Eva', 'Frank', 'Roland', 'Teirtza'],
    });
  });
});

describe('flattenGroups: details', () => {
  it('keeps direct members first in read order, without duplicates (flat groups match the reference bytes)', () => {
    const [flat] = flattenGroups([group({ name: 'G', users: ['z', 'a', 'z', 'm'] })]);
    expect(flat!.userExternalIds).toEqual(['z', 'a', 'm']);
  });

  it('orders nested members by pre-order walk with children in LIST order (reference insertion order)', () => {
    // Child references given as [C, B] but B comes first in the list: the reference walks B first.
    const groups = [group({ name: 'A', users: ['a'], children: ['C', 'B'] }), group({ name: 'B', users: ['b'], children: ['D'] }), group({ name: 'C', users: ['c'] }), group({ name: 'D', users: ['d'] })];
    expect(flattenGroups(groups).map((g) => g.userExternalIds)).toEqual([['a', 'b', 'd', 'c'], ['b', 'd'], ['c'], ['d']]);
  });

  it('matches the reference order in the cyclic cases it was checked on', () => {
    const order = (edges: Record<string, string[]>) => Object.fromEntries(flattenGroups(graph(edges)).map((g) => [g.name, g.userExternalIds]));
    expect(order({ A: ['B'], B: ['A'] })).toEqual({ A: ['A', 'B'], B: ['B', 'A'] });
    expect(order({ A: ['B'], B: ['C'], C: ['A'] })).toEqual({ A: ['A', 'B', 'C'], B: ['B', 'C', 'A'], C: ['C', 'A', 'B'] });
    expect(order({ A: ['B'], B: ['C'], C: ['D'], D: ['B'] })).toEqual({ A: ['A', 'B', 'C', 'D'], B: ['B', 'C', 'D'], C: ['C', 'D', 'B'], D: ['D', 'B', 'C'] });
  });

  it('ignores references to groups that were not read, and self references', () => {
    const result = flattenGroups([group({ name: 'A', users: ['a'], children: ['Missing', 'A'] })]);
    expect(result[0]!.userExternalIds).toEqual(['a']);
  });

  it('keeps member ids of users that were not read (the server ignores unknown ids)', () => {
    expect(flattenGroups([group({ name: 'A', users: ['not-read'] })])[0]!.userExternalIds).toEqual(['not-read']);
  });

  it('does not modify its input', () => {
    const groups = graph({ A: ['B'], B: ['A'] });
    const before = JSON.stringify(groups);
    flattenGroups(groups);
    expect(JSON.stringify(groups)).toBe(before);
  });

  it('equals a brute-force pre-order walk on random graphs (with cycles)', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const count = 1 + random(12);
      const names = Array.from({ length: count }, (_, i) => `G${i}`);
      const groups = names.map((name) =>
        group({
          name,
          users: Array.from({ length: random(3) }, () => `u${random(10)}`),
          children: Array.from({ length: random(4) }, () => names[random(count)]!),
        }),
      );
      const children = resolveChildGroups(groups);
      const brute = groups.map((_, start) => {
        const seen = new Set<string>();
        const out: string[] = [];
        const visited = new Set<number>();
        const walk = (node: number): void => {
          visited.add(node);
          for (const id of groups[node]!.userMemberExternalIds) {
            if (!seen.has(id)) {
              seen.add(id);
              out.push(id);
            }
          }
          for (const child of children[node]!) if (!visited.has(child)) walk(child);
        };
        walk(start);
        return out;
      });
      expect(flattenGroups(groups).map((g) => g.userExternalIds)).toEqual(brute);
    }
  });

  it('handles a 10,000-group chain and a 10,000-group cycle without recursion limits', () => {
    const n = 10_000;
    const chain = Array.from({ length: n }, (_, i) => group({ name: `g${i}`, users: i === n - 1 ? ['leaf'] : [], children: i < n - 1 ? [`g${i + 1}`] : [] }));
    const flatChain = flattenGroups(chain);
    expect(flatChain.every((g) => g.userExternalIds.length === 1 && g.userExternalIds[0] === 'leaf')).toBe(true);

    const ring = Array.from({ length: n }, (_, i) => group({ name: `r${i}`, users: i % 1000 === 0 ? [`u${i}`] : [], children: [`r${(i + 1) % n}`] }));
    const flatRing = flattenGroups(ring);
    expect(flatRing.every((g) => g.userExternalIds.length === 10)).toBe(true);
  });
});

describe('stronglyConnectedComponents', () => {
  it('emits components in reverse topological order', () => {
    // 0 → 1 → 2 → 1, 2 → 3
    const components = stronglyConnectedComponents([[1], [2], [1, 3], []]);
    expect(components).toEqual([[3], [1, 2], [0]]);
  });
});

describe('flattenGroups: cycles larger than MAX_WALKED_CYCLE', () => {
  it('gives every group the cycle members, its own direct users first', () => {
    const size = MAX_WALKED_CYCLE + 6;
    const ring = Array.from({ length: size }, (_, i) => group({ name: `r${i}`, users: [`u${i}`], children: [`r${(i + 1) % size}`] }));
    const flat = flattenGroups(ring);
    for (let i = 0; i < size; i++) {
      expect(flat[i]!.userExternalIds[0]).toBe(`u${i}`);
      expect(new Set(flat[i]!.userExternalIds).size).toBe(size);
    }
  });
});
