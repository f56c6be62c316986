// Summaries of V8 profiles for the benches, grouped by part of the code (LDAP protocol, LDAP
// provider, planner, Bitwarden client, storage, CLI output, GC, idle = waiting for I/O):
//  - CPU (`node --cpu-prof`, .cpuprofile): where the CLI's time goes;
//  - heap (`node --heap-prof`, .heapprofile): which code allocated the memory still live when the
//    profile was written (at exit), a good proxy for what makes the peak. Test-only.

/** The parts of the .cpuprofile format used here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self and inclusive times in ms. */
export interface CpuProfileSummary {
  totalMs: number;
  /** Per category: self time (code of that category running) and inclusive (it is on the stack). */
  byCategory: Record<string, { selfMs: number; inclusiveMs: number }>;
  /** Hottest functions by self time. */
  topSelf: { fn: string; selfMs: number }[];
  /** dirconn functions (libs/, apps/) by inclusive time. */
  topDirconn: { fn: string; inclusiveMs: number }[];
}

/** The category of a frame, from its script URL and function name. */
export function categoryOf(url: string, functionName: string, repoRoot: string): string {
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(idle)') return 'idle (waiting for I/O)';
  if (functionName === '(program)') return 'v8/native (program)';
  if (functionName === '(root)') return 'root';
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const rel = path.startsWith(repoRoot) ? path.slice(repoRoot.length + 1) : path;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
  if (nm) return `npm:${nm[1]}`;
  if (rel.startsWith('libs/providers/dist/ldap/')) return 'providers/ldap';
  if (rel.startsWith('libs/providers/dist/')) return 'providers (http, registry)';
  if (rel.startsWith('libs/core/dist/sync/')) return 'core/sync (plan)';
  if (rel.startsWith('libs/core/dist/bitwarden/')) return 'core/bitwarden (client)';
  if (rel.startsWith('libs/core/dist/')) return 'core (usecases, other)';
  if (rel.startsWith('libs/storage/dist/')) return 'storage';
  if (rel.startsWith('apps/cli/')) return 'cli';
  if (rel.startsWith('node:')) {
    const m = /^node:(?:internal\/)?([^/]+)/.exec(rel);
    return `node:${m?.[1] ?? 'other'}`;
  }
  if (rel === '') return 'builtin (JSON, RegExp, …)';
  return 'other';
}

function frameName(node: CpuProfile['nodes'][number], repoRoot: string): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const rel = path.startsWith(repoRoot) ? path.slice(repoRoot.length + 1) : path;
  return `${functionName || '(anonymous)'}${rel ? ` ${rel}:${lineNumber + 1}` : ''}`;
}

/** Self/inclusive time per category and the hottest functions. */
export function summarizeCpuProfile(profile: CpuProfile, repoRoot: string, top = 15): CpuProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const category = new Map(profile.nodes.map((n) => [n.id, categoryOf(n.callFrame.url, n.callFrame.functionName, repoRoot)]));
  const name = new Map(profile.nodes.map((n) => [n.id, frameName(n, repoRoot)]));
  const isDirconn = new Map(profile.nodes.map((n) => [n.id, /\/(libs|apps)\/[^/]+\/dist\//.test(n.callFrame.url) || /\/apps\/cli\/bin\//.test(n.callFrame.url)]));

  const selfByNode = new Map<number, number>();
  const cat: Record<string, { selfMs: number; inclusiveMs: number }> = {};
  const inclusiveFn = new Map<string, number>();
  let total = 0;
  // timeDeltas[i] is the time before sample i; attribute it to sample i (as Chrome DevTools does).
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + dt);
    const selfCat = category.get(id) ?? 'other';
    (cat[selfCat] ??= { selfMs: 0, inclusiveMs: 0 }).selfMs += dt;
    const seenCats = new Set<string>();
    const seenFns = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const c = category.get(cur) ?? 'other';
      if (c !== 'root') seenCats.add(c);
      if (isDirconn.get(cur)) seenFns.add(name.get(cur) ?? '?');
    }
    for (const c of seenCats) (cat[c] ??= { selfMs: 0, inclusiveMs: 0 }).inclusiveMs += dt;
    for (const f of seenFns) inclusiveFn.set(f, (inclusiveFn.get(f) ?? 0) + dt);
  }
  const selfByFn = new Map<string, number>();
  for (const [id, ms] of selfByNode) {
    const n = byId.get(id);
    if (n === undefined) continue;
    const key = frameName(n, repoRoot);
    selfByFn.set(key, (selfByFn.get(key) ?? 0) + ms);
  }
  const byCategory = Object.fromEntries(
    Object.entries(cat)
      .sort((a, b) => b[1].inclusiveMs - a[1].inclusiveMs)
      .map(([k, v]) => [k, { selfMs: Math.round(v.selfMs), inclusiveMs: Math.round(v.inclusiveMs) }]),
  );
  return {
    totalMs: Math.round(total),
    byCategory,
    topSelf: [...selfByFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, ms]) => ({ fn, selfMs: Math.round(ms) })),
    topDirconn: [...inclusiveFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, ms]) => ({ fn, inclusiveMs: Math.round(ms) })),
  };
}

/** Human-readable summary. */
export function formatCpuSummary(s: CpuProfileSummary, indent = ''): string {
  const pct = (ms: number): string => `${((100 * ms) / Math.max(1, s.totalMs)).toFixed(0)}%`;
  const lines = [`${indent}CPU profile: ${(s.totalMs / 1000).toFixed(2)} s sampled`];
  lines.push(`${indent}  by category (self / inclusive):`);
  for (const [k, v] of Object.entries(s.byCategory)) {
    if (v.inclusiveMs < s.totalMs * 0.005 && v.selfMs < s.totalMs * 0.005) continue;
    lines.push(`${indent}    ${k.padEnd(34)} ${String(v.selfMs).padStart(7)} ms ${pct(v.selfMs).padStart(4)} / ${String(v.inclusiveMs).padStart(7)} ms ${pct(v.inclusiveMs).padStart(4)}`);
  }
  lines.push(`${indent}  hottest functions (self):`);
  for (const f of s.topSelf) lines.push(`${indent}    ${String(f.selfMs).padStart(7)} ms ${pct(f.selfMs).padStart(4)}  ${f.fn}`);
  lines.push(`${indent}  dirconn functions (inclusive):`);
  for (const f of s.topDirconn) lines.push(`${indent}    ${String(f.inclusiveMs).padStart(7)} ms ${pct(f.inclusiveMs).padStart(4)}  ${f.fn}`);
  return lines.join('\n');
}

/** The parts of the .heapprofile format (sampling heap profiler) used here. */
export interface HeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: HeapProfileNode[];
}

/** Live sampled bytes by category and function, MB. */
export interface HeapProfileSummary {
  totalMb: number;
  byCategory: Record<string, { selfMb: number; inclusiveMb: number }>;
  topSelf: { fn: string; selfMb: number }[];
  topDirconn: { fn: string; inclusiveMb: number }[];
}

/** Summarises a sampling heap profile (bytes still live when it was written). */
export function summarizeHeapProfile(profile: { head: HeapProfileNode }, repoRoot: string, top = 15): HeapProfileSummary {
  const cat: Record<string, { self: number; inclusive: number }> = {};
  const selfFn = new Map<string, number>();
  const inclusiveFn = new Map<string, number>();
  let total = 0;
  // Iterative walk carrying the categories and dirconn functions on the path.
  const stack: { node: HeapProfileNode; cats: Set<string>; fns: Set<string> }[] = [{ node: profile.head, cats: new Set(), fns: new Set() }];
  while (stack.length > 0) {
    const { node, cats, fns } = stack.pop() as { node: HeapProfileNode; cats: Set<string>; fns: Set<string> };
    const { functionName, url, lineNumber } = node.callFrame;
    const c = categoryOf(url, functionName, repoRoot);
    const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
    const rel = path.startsWith(repoRoot) ? path.slice(repoRoot.length + 1) : path;
    const name = `${functionName || '(anonymous)'}${rel ? ` ${rel}:${lineNumber + 1}` : ''}`;
    const nextCats = c === 'root' ? cats : new Set([...cats, c]);
    const nextFns = /\/(libs|apps)\/[^/]+\/dist\//.test(url) ? new Set([...fns, name]) : fns;
    const size = node.selfSize;
    if (size > 0) {
      total += size;
      (cat[c] ??= { self: 0, inclusive: 0 }).self += size;
      selfFn.set(name, (selfFn.get(name) ?? 0) + size);
      for (const k of nextCats) (cat[k] ??= { self: 0, inclusive: 0 }).inclusive += size;
      for (const f of nextFns) inclusiveFn.set(f, (inclusiveFn.get(f) ?? 0) + size);
    }
    for (const child of node.children ?? []) stack.push({ node: child, cats: nextCats, fns: nextFns });
  }
  const mb = (b: number): number => Math.round(b / 1e5) / 10;
  return {
    totalMb: mb(total),
    byCategory: Object.fromEntries(
      Object.entries(cat)
        .sort((a, b) => b[1].inclusive - a[1].inclusive)
        .map(([k, v]) => [k, { selfMb: mb(v.self), inclusiveMb: mb(v.inclusive) }]),
    ),
    topSelf: [...selfFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, b]) => ({ fn, selfMb: mb(b) })),
    topDirconn: [...inclusiveFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, b]) => ({ fn, inclusiveMb: mb(b) })),
  };
}

/** Human-readable heap summary. */
export function formatHeapSummary(s: HeapProfileSummary, indent = ''): string {
  const lines = [`${indent}heap profile: ${s.totalMb} MB sampled live at exit`];
  lines.push(`${indent}  by category (self / inclusive MB):`);
  for (const [k, v] of Object.entries(s.byCategory)) {
    if (v.inclusiveMb < s.totalMb * 0.01) continue;
    lines.push(`${indent}    ${k.padEnd(34)} ${String(v.selfMb).padStart(7)} / ${String(v.inclusiveMb).padStart(7)}`);
  }
  lines.push(`${indent}  top allocation sites (self MB):`);
  for (const f of s.topSelf) lines.push(`${indent}    ${String(f.selfMb).padStart(7)}  ${f.fn}`);
  lines.push(`${indent}  dirconn functions (inclusive MB):`);
  for (const f of s.topDirconn) lines.push(`${indent}    ${String(f.inclusiveMb).padStart(7)}  ${f.fn}`);
  return lines.join('\n');
}
