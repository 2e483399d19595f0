// Dependency cycles among services: each one reported once, named like `a -> b -> a`.
import type { Problem } from './problem.js';
import type { Path } from './yaml-positions.js';

/** `from` depends on `to`; `path` is where that entry is written. */
export interface Edge {
  from: string;
  to: string;
  path: Path;
}

/** One problem per cycle (strongly connected set), named like `a -> b -> a`, in file order. */
export function findCycles(ids: readonly string[], edges: readonly Edge[]): Problem[] {
  const out = new Map<string, Edge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const problems: Problem[] = [];
  for (const group of stronglyConnected(ids, out)) {
    if (group.size < 2) continue;
    const start = ids.find((id) => group.has(id));
    if (start === undefined) continue;
    const cycle = pathBack(start, group, out);
    if (cycle.length === 0) continue;
    const names = [start, ...cycle.map((e) => e.to)];
    problems.push({ path: cycle[0].path, target: 'key', message: `dependency cycle ${names.join(' -> ')}` });
  }
  return problems;
}

/** Tarjan's algorithm, iterative so a long dependency chain cannot overflow the stack. */
function stronglyConnected(ids: readonly string[], out: Map<string, Edge[]>): Set<string>[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: Set<string>[] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edgesOut = out.get(frame.id) ?? [];
      if (frame.next < edgesOut.length) {
        const to = edgesOut[frame.next++].to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(to) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      if (low.get(frame.id) === index.get(frame.id)) {
        const group = new Set<string>();
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          group.add(member);
        } while (member !== frame.id);
        groups.push(group);
      }
    }
  }
  return groups;
}

/** Shortest edge path from start back to start inside its group (breadth first). */
function pathBack(start: string, group: Set<string>, out: Map<string, Edge[]>): Edge[] {
  const via = new Map<string, Edge>();
  const queue: string[] = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const e of out.get(queue[i]) ?? []) {
      if (!group.has(e.to)) continue;
      if (e.to === start) {
        const path = [e];
        let at = e.from;
        while (at !== start) {
          const prev = via.get(at);
          if (!prev) break;
          path.unshift(prev);
          at = prev.from;
        }
        return path;
      }
      if (!via.has(e.to)) {
        via.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  return [];
}
