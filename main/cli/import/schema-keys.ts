// Which hypha.yaml keys the running Hypha has. Importers map to a key only where the schema has
// it, so a newer key (watch, replicas, readiness …) is used as soon as it lands and is a comment
// ("not supported by this Hypha yet") before. Read from the zod schema itself, the one source of
// truth, rather than from a list kept by hand.
import { configSchema, serviceSchema } from '../../core/config/schema.js';

interface Def {
  type: string;
  innerType?: Node;
  in?: Node;
  shape?: Record<string, Node>;
  options?: Node[];
  valueType?: Node;
  entries?: Record<string, string>;
}
interface Node {
  _zod: { def: Def };
}

function unwrap(node: Node | undefined): Node | undefined {
  let n = node;
  for (let i = 0; n && i < 10; i++) {
    const d = n._zod.def;
    if (d.innerType) n = d.innerType;
    else if (d.type === 'pipe' && d.in) n = d.in;
    else break;
  }
  return n;
}

/** The node at `path` through objects, unions of objects and records (a record's key is any name). */
function nodeAt(root: Node, path: readonly string[]): Node | undefined {
  let nodes: Node[] = [root];
  for (const part of path) {
    const next: Node[] = [];
    for (const raw of nodes) {
      const n = unwrap(raw);
      if (!n) continue;
      const d = n._zod.def;
      const candidates = d.type === 'union' ? (d.options ?? []).map(unwrap) : [n];
      for (const c of candidates) {
        if (!c) continue;
        const cd = c._zod.def;
        if (cd.type === 'object' && cd.shape && Object.hasOwn(cd.shape, part)) next.push(cd.shape[part] as Node);
        if (cd.type === 'record' && cd.valueType && part === '*') next.push(cd.valueType);
      }
    }
    nodes = next;
    if (nodes.length === 0) return undefined;
  }
  return nodes[0];
}

/** `has('watch')`, `has('stop.command')`, `has('depends_on.*.restart')` — service keys. */
export function hasServiceKey(path: string): boolean {
  return nodeAt(serviceSchema as unknown as Node, path.split('.')) !== undefined;
}

export function hasTopKey(path: string): boolean {
  return nodeAt(configSchema as unknown as Node, path.split('.')) !== undefined;
}

/** The values an enum at `path` allows (e.g. dependency conditions). */
export function enumValues(path: string): string[] {
  const n = unwrap(nodeAt(serviceSchema as unknown as Node, path.split('.')));
  const entries = n?._zod.def.entries;
  return entries ? Object.values(entries) : [];
}

export function hasCondition(condition: string): boolean {
  return enumValues('depends_on.*.condition').includes(condition);
}
