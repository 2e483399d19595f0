// Every service at a glance. Only the rows in and near the viewport are in the DOM (rows vary in
// height, so each is measured as it renders), which keeps the first render of hundreds of
// services as cheap as that of a dozen. j/k move a selection that s/r act on.
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type FocusEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useShortcuts } from '../hooks/useShortcuts.js';
import { takeReturnFocus } from '../hooks/useRoute.js';
import { useActions, useHypha } from '../store/context.js';
import { filterIds } from '../store/selectors.js';
import { ServiceRow } from './ServiceRow.js';
import { ShortcutActions } from './ShortcutActions.js';
import { Toolbar } from './Toolbar.js';
import { EmptyState } from './screens.js';

/**
 * px: a row without a problem line at the three widths of styles.css (one line from 1280 px, two
 * from 700, stacked below). Rows are measured as they render; a close guess means the first pass
 * renders the rows that fit the window rather than a few too many or too few.
 */
function estimatedRow(): number {
  if (typeof window.matchMedia !== 'function') return 64;
  if (window.matchMedia('(min-width: 1280px)').matches) return 48;
  return window.matchMedia('(min-width: 700px)').matches ? 88 : 160;
}
const ROW_GAP = 8;
/** px: header, summary, filters and the list's head are taller than this at every width. */
const LIST_TOP_AT_LEAST = 180;

function ServiceList({ ids }: { ids: string[] }) {
  const list = useRef<HTMLUListElement>(null);
  // Where the list starts is measured before the first paint (below); until then a little less
  // than the header and toolbar take at any width, so the first pass renders few rows past the
  // window's end, and never leaves its end empty.
  const [listTop, setListTop] = useState(LIST_TOP_AT_LEAST);
  const [selected, setSelected] = useState<string | null>(null);
  const [focusOnSelect, setFocusOnSelect] = useState(false);

  useLayoutEffect(() => {
    const el = list.current;
    if (el) setListTop(el.getBoundingClientRect().top + window.scrollY);
  });
  // The first pass renders only what the window can show (its top is not measured yet, so that
  // is already a little more); the rows just out of view follow once it is on screen.
  const [firstPass, setFirstPass] = useState(true);
  useEffect(() => setFirstPass(false), []);

  const [rowGuess] = useState(estimatedRow);
  const virtualizer = useWindowVirtualizer({
    count: ids.length,
    estimateSize: () => rowGuess,
    gap: ROW_GAP,
    overscan: firstPass ? 0 : 4,
    scrollMargin: listTop,
    // The window's size from the start, so the first render already has the rows on screen
    // (with the default 0×0 it renders a handful, measures the window, and renders again).
    initialRect: { width: window.innerWidth, height: window.innerHeight },
    getItemKey: (index) => ids[index] ?? index,
  });

  const select = (id: string | undefined): void => {
    if (!id) return;
    setSelected(id);
    setFocusOnSelect(true);
    virtualizer.scrollToIndex(ids.indexOf(id), { align: 'auto' });
  };

  // Back from a service's page: select it and put focus on it, even if it was scrolled away.
  useEffect(() => {
    const id = takeReturnFocus();
    if (id && ids.includes(id)) select(id);
    // Once, on mount.
  }, []);

  // Focus follows the selection once its row is rendered (scrolling may take a frame).
  useEffect(() => {
    if (!focusOnSelect || !selected) return;
    const link = document.getElementById(`svc-name-${selected}`);
    if (link) {
      link.focus({ preventScroll: true });
      setFocusOnSelect(false);
    }
  });

  // Keep a selection the person moved to with Tab too, so j/k continue from where focus is.
  const onFocus = (event: FocusEvent<HTMLUListElement>): void => {
    const id = (event.target.closest('li[data-service]') as HTMLElement | null)?.dataset.service;
    if (id && id !== selected) setSelected(id);
  };

  useShortcuts({
    j: () => select(ids[selected === null ? 0 : Math.min(ids.length - 1, ids.indexOf(selected) + 1)]),
    k: () => select(ids[selected === null ? 0 : Math.max(0, ids.indexOf(selected) - 1)]),
  });

  const items = virtualizer.getVirtualItems();
  return (
    <>
      <ul
        ref={list}
        className="svc-list"
        aria-label={`Services (${ids.length} shown)`}
        style={{ height: virtualizer.getTotalSize() }}
        onFocus={onFocus}
      >
        {items.map((item) => {
          const id = ids[item.index] as string;
          return (
            <ServiceRow
              key={id}
              id={id}
              index={item.index}
              setSize={ids.length}
              top={item.start - virtualizer.options.scrollMargin}
              measure={virtualizer.measureElement}
              selected={id === selected}
            />
          );
        })}
      </ul>
      <ShortcutActions id={selected !== null && ids.includes(selected) ? selected : null} />
    </>
  );
}

export function Overview() {
  const total = useHypha((s) => s.order.length);
  const ids = useHypha(useShallow((s) => filterIds(s.order, s.services, s.filter)));
  const { setFilter } = useActions();

  if (total === 0) return <EmptyState />;
  return (
    <main className="overview" aria-label="Services">
      <Toolbar />
      <div className="list-head" aria-hidden="true">
        <span>Status</span>
        <span>Service</span>
        <span className="list-head__facts">
          <span>Health</span>
          <span>PID</span>
          <span>Port</span>
          <span>Uptime</span>
          <span>Restarts</span>
          <span>CPU</span>
          <span>Memory</span>
        </span>
        <span>Actions</span>
      </div>
      {ids.length === 0 ? (
        <div className="no-match">
          <p>No service matches this filter.</p>
          <button type="button" className="btn btn--small" onClick={() => setFilter({ text: '', status: 'all' })}>
            Clear filter
          </button>
        </div>
      ) : (
        <ServiceList ids={ids} />
      )}
    </main>
  );
}
