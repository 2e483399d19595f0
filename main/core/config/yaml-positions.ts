// Maps a path in the parsed value (["services", "web", "port"]) back to where it is written in
// the YAML source, so every config error can name a 1-based line and column.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** `key`: the mapping key that holds the value; `value`: the value itself. */
export type Target = 'key' | 'value';

export interface Position {
  line: number;
  col: number;
}

const FILE_START: Position = { line: 1, col: 1 };

interface Found {
  key: Node | null;
  value: Node | null;
}

export class PositionIndex {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /**
   * Where `path` is written. A path that is not in the file (a missing required key) points at
   * the key of its nearest written ancestor.
   */
  locate(path: Path, target: Target): Position {
    const trail = this.walk(path);
    const last = trail[trail.length - 1];
    if (trail.length === path.length + 1 && last) {
      const first = target === 'key' ? (last.key ?? last.value) : (isBlank(last.value) ? last.key : last.value) ?? last.key;
      return this.at(first);
    }
    for (let i = trail.length - 1; i >= 0; i--) {
      const step = trail[i];
      if (step.key) return this.at(step.key);
    }
    return FILE_START;
  }

  /** The source text of a scalar, e.g. `1.10` for an env value YAML reads as the number 1.1. */
  sourceText(path: Path): string | null {
    const trail = this.walk(path);
    if (trail.length !== path.length + 1) return null;
    const node = trail[trail.length - 1].value;
    return node && isScalar(node) && typeof node.source === 'string' ? node.source : null;
  }

  /** Keys of the mapping at `path` in the order they are written (merged keys are not listed). */
  keysInOrder(path: Path): string[] {
    const trail = this.walk(path);
    if (trail.length !== path.length + 1) return [];
    const node = this.resolve(trail[trail.length - 1].value);
    if (!isMap(node)) return [];
    return node.items.map((p) => keyText(p.key)).filter((k): k is string => k !== null);
  }

  private at(node: Node | null): Position {
    const offset = node?.range?.[0];
    return typeof offset === 'number' ? this.lines.linePos(offset) : FILE_START;
  }

  private walk(path: Path): Found[] {
    const root = this.doc.contents;
    const trail: Found[] = [{ key: null, value: root }];
    let node: Node | null = root;
    for (const seg of path) {
      const inner = this.resolve(node);
      let next: Found | null = null;
      if (isMap(inner)) {
        const pair = this.findPair(inner.items, seg, 0);
        if (pair) next = { key: asNode(pair.key), value: asNode(pair.value) };
      } else if (isSeq(inner) && typeof seg === 'number') {
        const item = asNode(inner.items[seg]);
        if (item) next = { key: item, value: item };
      }
      if (!next) break;
      trail.push(next);
      node = next.value;
    }
    return trail;
  }

  private resolve(node: Node | null): Node | null {
    if (node && isAlias(node)) return this.resolveAlias(node);
    return node;
  }

  private resolveAlias(node: Node): Node | null {
    if (!isAlias(node)) return node;
    try {
      return node.resolve(this.doc) ?? null;
    } catch {
      return null;
    }
  }

  /** The last pair with this key wins (as in the parsed value), then `<<` merges in order. */
  private findPair(items: readonly Pair[], seg: PathSegment, depth: number): Pair | null {
    for (let i = items.length - 1; i >= 0; i--) {
      if (keyText(items[i].key) === String(seg)) return items[i];
    }
    if (depth > 20) return null;
    for (const pair of items) {
      if (keyText(pair.key) !== '<<') continue;
      const source = this.resolve(asNode(pair.value));
      const maps = isSeq(source) ? source.items.map((n) => this.resolve(asNode(n))) : [source];
      for (const m of maps) {
        if (!isMap(m)) continue;
        const found = this.findPair(m.items, seg, depth + 1);
        if (found) return found;
      }
    }
    return null;
  }
}

function asNode(v: unknown): Node | null {
  return v !== null && typeof v === 'object' && 'range' in v ? (v as Node) : null;
}

function keyText(key: unknown): string | null {
  // A merge key `<<` holds a symbol as its value.
  if (isScalar(key)) return typeof key.value === 'symbol' ? (key.source ?? null) : String(key.value);
  return key === null || key === undefined ? null : String(key);
}

/** `key:` with nothing after it: point at the key, the empty value has no useful position. */
function isBlank(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null && !node.source);
}
