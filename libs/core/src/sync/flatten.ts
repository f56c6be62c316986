/**
 * Nested-group flattening (reference-connector.md §7.4): each group's users become the transitive
 * closure of its direct users and the direct users of every group reachable through child
 * references, counting only children present in the list read (matched by `referenceId`; unknown
 * references contribute nothing). Cycles and diamonds terminate.
 *
 * Order of the result (it is part of the request bytes and so of the hash): the user ids met by a
 * depth-first pre-order walk from the group, visiting each group once, a group's direct users first
 * (in read order, duplicates dropped), then its children in the order of the group LIST (not the order
 * of the references), like the reference. For flat groups, trees and DAGs this is exactly the
 * reference's insertion order; the reference mutates sets in place while it walks, so in tangled
 * cycles its order can differ from ours — the members are the same and the only effect is one extra
 * (idempotent) post on the first dirconn run after the reference.
 *
 * Algorithm: iterative Tarjan SCC (no recursion, safe for 10k+ groups), then closures computed once per
 * group in reverse topological order and reused by every parent (memoised), so a chain of 10k groups
 * costs O(groups × closure size), not O(groups²) walks. Groups inside a cycle of at most
 * `MAX_WALKED_CYCLE` groups are walked explicitly (exact pre-order), stopping at already-computed
 * groups outside their cycle. In a larger cycle every group has the same members anyway; to stay
 * linear, each lists its own direct users first and then the cycle's members in one shared order
 * (the pre-order from the cycle's first group in the list).
 */
import type { DirectoryGroup } from '../model/directory.js';

/**
 * Largest cycle (strongly connected set of groups) whose members are each walked exactly; walking costs
 * O(size²) per cycle, so bigger ones use one shared order.
 */
export const MAX_WALKED_CYCLE = 64;

/** A group after flattening. */
export interface FlattenedGroup {
  externalId: string;
  referenceId: string;
  name: string;
  /** Flattened user externalIds, direct users first (see module comment for the order). */
  userExternalIds: string[];
  /** ExternalIds of the direct child groups present in the list (list order, duplicates kept out). */
  childGroupExternalIds: string[];
}

/** Child group indexes of every group, resolved against the list, sorted by list position. */
export function resolveChildGroups(groups: readonly DirectoryGroup[]): number[][] {
  const indexesByReference = new Map<string, number[]>();
  groups.forEach((group, index) => {
    const list = indexesByReference.get(group.referenceId);
    if (list === undefined) indexesByReference.set(group.referenceId, [index]);
    else list.push(index);
  });
  return groups.map((group) => {
    if (group.groupMemberReferenceIds.length === 0) return [];
    const children = new Set<number>();
    for (const reference of group.groupMemberReferenceIds) {
      for (const index of indexesByReference.get(reference) ?? []) children.add(index);
    }
    return [...children].sort((a, b) => a - b);
  });
}

/**
 * Strongly connected components (iterative Tarjan). Components come out in reverse topological order:
 * every component reachable from C is emitted before C.
 */
export function stronglyConnectedComponents(children: readonly (readonly number[])[]): number[][] {
  const count = children.length;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const components: number[][] = [];
  let next = 0;
  // Explicit call stack: node and position in its child list.
  const callNode: number[] = [];
  const callChild: number[] = [];

  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    callNode.push(root);
    callChild.push(0);
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (callNode.length > 0) {
      const top = callNode.length - 1;
      const node = callNode[top]!;
      const edges = children[node]!;
      const position = callChild[top]!;
      if (position < edges.length) {
        callChild[top] = position + 1;
        const child = edges[position]!;
        if (index[child] === -1) {
          index[child] = low[child] = next++;
          stack.push(child);
          onStack[child] = 1;
          callNode.push(child);
          callChild.push(0);
        } else if (onStack[child] === 1) {
          low[node] = Math.min(low[node]!, index[child]!);
        }
        continue;
      }
      // All children done: maybe close a component, then return to the parent.
      if (low[node] === index[node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== node);
        component.sort((a, b) => a - b);
        components.push(component);
      }
      callNode.pop();
      callChild.pop();
      if (callNode.length > 0) {
        const parent = callNode[callNode.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[node]!);
      }
    }
  }
  return components;
}

/**
 * Flattens nested groups. Returns one entry per input group, same order. Pure; never throws; the input
 * is not modified.
 */
export function flattenGroups(groups: readonly DirectoryGroup[]): FlattenedGroup[] {
  const children = resolveChildGroups(groups);
  const closures: (string[] | undefined)[] = new Array<string[] | undefined>(groups.length);

  for (const component of stronglyConnectedComponents(children)) {
    const only = component[0]!;
    const cyclic = component.length > 1 || children[only]!.includes(only);
    if (!cyclic) {
      closures[only] = closeAcyclic(groups[only]!, children[only]!, closures);
      continue;
    }
    const inComponent = new Set(component);
    if (component.length <= MAX_WALKED_CYCLE) {
      for (const start of component) closures[start] = closeByWalk(start, groups, children, inComponent, closures);
      continue;
    }
    const shared = closeByWalk(only, groups, children, inComponent, closures);
    for (const member of component) closures[member] = uniqueConcat(groups[member]!.userMemberExternalIds, shared);
  }

  return groups.map((group, index) => ({
    externalId: group.externalId,
    referenceId: group.referenceId,
    name: group.name,
    userExternalIds: closures[index] ?? [],
    childGroupExternalIds: [...new Set(children[index]!.map((child) => groups[child]!.externalId))],
  }));
}

/** The lists concatenated, first occurrence of each id kept. */
function uniqueConcat(...lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const ids of lists) {
    for (const id of ids) {
      if (!seen.has(id)) {
        seen.add(id);
        result.push(id);
      }
    }
  }
  return result;
}

/** Direct users, then each child's (already computed) closure, duplicates dropped. */
function closeAcyclic(group: DirectoryGroup, childIndexes: readonly number[], closures: readonly (string[] | undefined)[]): string[] {
  return uniqueConcat(group.userMemberExternalIds, ...childIndexes.map((child) => closures[child] ?? []));
}

/**
 * Pre-order walk from `start` for a group inside a cycle: groups of the same component are walked
 * (each once); a group outside it already has its closure, which is appended as a whole.
 */
function closeByWalk(
  start: number,
  groups: readonly DirectoryGroup[],
  children: readonly (readonly number[])[],
  inComponent: ReadonlySet<number>,
  closures: readonly (string[] | undefined)[],
): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  const add = (ids: readonly string[]): void => {
    for (const id of ids) {
      if (!seen.has(id)) {
        seen.add(id);
        result.push(id);
      }
    }
  };
  const visited = new Set<number>([start]);
  add(groups[start]!.userMemberExternalIds);
  const callNode: number[] = [start];
  const callChild: number[] = [0];
  while (callNode.length > 0) {
    const top = callNode.length - 1;
    const node = callNode[top]!;
    const edges = children[node]!;
    const position = callChild[top]!;
    if (position >= edges.length) {
      callNode.pop();
      callChild.pop();
      continue;
    }
    callChild[top] = position + 1;
    const child = edges[position]!;
    if (visited.has(child)) continue;
    visited.add(child);
    if (inComponent.has(child)) {
      add(groups[child]!.userMemberExternalIds);
      callNode.push(child);
      callChild.push(0);
    } else {
      add(closures[child] ?? []);
    }
  }
  return result;
}
