// A service's output. Only the rows in view are in the DOM, it follows the tail until the person
// scrolls up, and says how much they missed. Long lines wrap (a 420 px tray window must not cut
// them off), so a row is one line high until it has been measured; measured heights are kept per
// line and dropped when the width changes.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type UIEvent } from 'react';
import type { LogLine } from '../../../main/contract/status.js';
import { formatTime } from '../format.js';

export const ROW_HEIGHT = 20;
const OVERSCAN = 15;
// Before layout is known (first paint, or a DOM without layout) assume a tall viewport.
const FALLBACK_VIEWPORT = 600;

const TAG: Record<LogLine['stream'], string> = { stdout: '', stderr: 'err', supervisor: 'hypha' };

function lineText(line: LogLine): string {
  const tag = TAG[line.stream];
  return `${formatTime(line.ts)} ${tag ? `[${tag}] ` : ''}${line.text}`;
}

const Highlighted = memo(function Highlighted({ text, query }: { text: string; query: string }) {
  if (!query) return <>{text}</>;
  const lower = text.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(query, from); at !== -1; at = lower.indexOf(query, from)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{text.slice(at, at + query.length)}</mark>);
    from = at + query.length;
  }
  parts.push(text.slice(from));
  return <>{parts}</>;
});

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

export interface LogViewerProps {
  lines: readonly LogLine[];
  /** Lines dropped from the front so far; keeps a paused view steady while the buffer rolls. */
  dropped: number;
  label: string;
}

/** Where each row starts: offsets[i] is the top of row i, offsets[n] the content height. */
function rowOffsets(shown: readonly LogLine[], heights: WeakMap<LogLine, number>): Float64Array {
  const offsets = new Float64Array(shown.length + 1);
  for (let i = 0; i < shown.length; i++) offsets[i + 1] = (offsets[i] as number) + (heights.get(shown[i] as LogLine) ?? ROW_HEIGHT);
  return offsets;
}

/** The row at a scroll position: the last i with offsets[i] ≤ y. */
function rowAt(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] as number) <= y) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

export function LogViewer({ lines, dropped, label }: LogViewerProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState('');
  const [following, setFollowing] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  const [unseen, setUnseen] = useState(0);
  const [copyNote, setCopyNote] = useState<string | null>(null);
  const seen = useRef<{ length: number; dropped: number; lines: readonly LogLine[] }>({ length: lines.length, dropped, lines });
  const heights = useRef(new WeakMap<LogLine, number>());
  const width = useRef(0);
  const [measured, remeasured] = useState(0);
  const windowEl = useRef<HTMLDivElement>(null);

  const needle = query.trim().toLowerCase();
  const shown = useMemo(
    () => (needle ? lines.filter((l) => l.text.toLowerCase().includes(needle)) : lines),
    [lines, needle],
  );
  // `measured` ticks whenever a height in the (mutable) cache changed.
  const offsets = useMemo(() => rowOffsets(shown, heights.current), [shown, measured]);
  const contentHeight = offsets[shown.length] as number;

  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      setViewport(el.clientHeight || FALLBACK_VIEWPORT);
      // A new width rewraps every line: forget the heights measured at the old one.
      if (el.clientWidth !== width.current) {
        width.current = el.clientWidth;
        heights.current = new WeakMap();
        remeasured((n) => n + 1);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Count what arrives while paused; keep the paused view on the same lines when old ones roll off.
  useLayoutEffect(() => {
    const before = seen.current;
    const arrived = lines.length + dropped - (before.length + before.dropped);
    const rolledOff = dropped - before.dropped;
    seen.current = { length: lines.length, dropped, lines };
    if (following || arrived <= 0) return;
    setUnseen((n) => n + arrived);
    const el = scroller.current;
    if (el && rolledOff > 0 && !needle) {
      let gone = 0;
      for (const line of before.lines.slice(0, rolledOff)) gone += heights.current.get(line) ?? ROW_HEIGHT;
      el.scrollTop = Math.max(0, el.scrollTop - gone);
      setScrollTop(el.scrollTop);
    }
  }, [lines, dropped, following, needle]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !following) return;
    const bottom = Math.max(0, contentHeight - (el.clientHeight || viewport));
    el.scrollTop = bottom;
    setScrollTop(bottom);
  }, [following, contentHeight, viewport]);

  const onScroll = useCallback(
    (event: UIEvent<HTMLDivElement>) => {
      const el = event.currentTarget;
      const height = el.clientHeight || viewport;
      setScrollTop(el.scrollTop);
      const atBottom = el.scrollTop + height >= contentHeight - ROW_HEIGHT / 2;
      setFollowing(atBottom);
      if (atBottom) setUnseen(0);
    },
    [contentHeight, viewport],
  );

  const jumpToLatest = (): void => {
    setUnseen(0);
    setFollowing(true);
  };

  const copy = (): void => {
    const text = shown.map(lineText).join('\n');
    copyText(text).then(
      () => setCopyNote(`Copied ${shown.length} ${shown.length === 1 ? 'line' : 'lines'}`),
      () => setCopyNote('Copy was refused by the browser'),
    );
  };
  useEffect(() => {
    if (!copyNote) return;
    const timer = setTimeout(() => setCopyNote(null), 2500);
    return () => clearTimeout(timer);
  }, [copyNote]);

  const first = Math.max(0, rowAt(offsets, scrollTop) - OVERSCAN);
  const last = Math.min(shown.length, rowAt(offsets, scrollTop + viewport) + 1 + OVERSCAN);
  const rows = shown.slice(first, last);

  // Measure the rows just rendered; a row whose height differs from what was assumed moves the
  // rows after it, so the offsets are recomputed (once: the next pass finds nothing new).
  useLayoutEffect(() => {
    const box = windowEl.current;
    if (!box) return;
    let changed = false;
    const children = box.children;
    for (let i = 0; i < children.length; i++) {
      const line = shown[first + i];
      const height = (children[i] as HTMLElement).offsetHeight;
      // 0: no layout (a hidden tab, a test DOM); keep the assumption.
      if (!line || height <= 0 || heights.current.get(line) === height) continue;
      heights.current.set(line, height);
      changed = true;
    }
    if (changed) remeasured((n) => n + 1);
  });

  return (
    <div className="logs">
      <div className="logs__bar">
        <label className="field field--grow">
          <span className="visually-hidden">Search the log</span>
          <input
            type="search"
            className="input"
            placeholder="Search the log…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        <span className="logs__count muted" aria-live="polite">
          {needle ? `${shown.length} of ${lines.length} lines` : `${lines.length} lines`}
        </span>
        <button type="button" className="btn btn--small" onClick={copy} disabled={shown.length === 0}>
          {needle ? 'Copy matches' : 'Copy'}
        </button>
        <span className="logs__state" role="status">
          {copyNote ?? (following ? 'Following' : 'Paused')}
        </span>
      </div>
      <div className="logs__frame">
        <div
          ref={scroller}
          className="logs__scroller"
          role="log"
          aria-live="off"
          aria-label={label}
          tabIndex={0}
          onScroll={onScroll}
          onKeyDown={(e) => {
            if (e.key === 'End') jumpToLatest();
          }}
        >
          {shown.length === 0 ? (
            <p className="logs__empty muted">{needle ? 'No line matches this search.' : 'No output yet.'}</p>
          ) : (
            <div className="logs__content" style={{ height: contentHeight }}>
              <div ref={windowEl} className="logs__window" style={{ transform: `translateY(${offsets[first] ?? 0}px)` }}>
                {rows.map((line, i) => (
                  <div key={dropped + first + i} className={`logline logline--${line.stream}`}>
                    <span className="logline__ts">{formatTime(line.ts)}</span>
                    {TAG[line.stream] && <span className="logline__tag">{TAG[line.stream]}</span>}
                    <span className="logline__text">
                      <Highlighted text={line.text} query={needle} />
                    </span>
                  </div>
                ))}
              </div>
            </div>
          )}
        </div>
        {!following && (
          <button type="button" className="btn btn--primary logs__jump" onClick={jumpToLatest}>
            {unseen > 0 ? `${unseen} new ${unseen === 1 ? 'line' : 'lines'} — jump to latest` : 'Jump to latest'}
          </button>
        )}
      </div>
    </div>
  );
}
