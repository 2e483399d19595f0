// Which page to show: a whole-page state until the service list is in, then overview or detail.
// What the first screen does not need (a service's page with its logs and settings, the shortcut
// list, the other machines below the list) is in separate chunks, fetched once the overview is up,
// so it never delays the first render.
import { lazy, Suspense, useEffect, useState } from 'react';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { Loading, NotAuthorised, Unreachable } from './components/screens.js';
import { Overview } from './components/Overview.js';
import { useRoute } from './hooks/useRoute.js';
import { useShortcuts } from './hooks/useShortcuts.js';
import { useActions, useHypha } from './store/context.js';

const loadDetail = () => import('./components/ServiceDetail.js');
const ServiceDetail = lazy(() => loadDetail().then((m) => ({ default: m.ServiceDetail })));
// Below the list (and polled on its own): its code and its first render wait for the overview.
const Remotes = lazy(() => import('./components/Remotes.js').then((m) => ({ default: m.Remotes })));
const KeyboardHelp = lazy(() => import('./components/KeyboardHelp.js').then((m) => ({ default: m.KeyboardHelp })));

/** Fetches the later chunks when the browser is idle after the first render. */
function useWarmLaterChunks(ready: boolean): void {
  useEffect(() => {
    if (!ready) return;
    const warm = (): void => void loadDetail().catch(() => undefined);
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(warm, { timeout: 2_000 });
      return () => cancelIdleCallback(handle);
    }
    const timer = setTimeout(warm, 200);
    return () => clearTimeout(timer);
  }, [ready]);
}

function Header() {
  const info = useHypha((s) => s.info);
  return (
    <header className="app-head">
      <a className="brand" href="#/">
        <span className="brand__mark" aria-hidden="true" />
        <span className="brand__name">Hypha</span>
      </a>
      {info && (
        <span className="app-head__meta muted" title={info.configFile}>
          <span className="app-head__version">v{info.version}</span>
          <span className="app-head__config mono">
            <bdi>{info.configFile}</bdi>
          </span>
        </span>
      )}
    </header>
  );
}

export function App({ canEnterToken = false }: { canEnterToken?: boolean }) {
  const phase = useHypha((s) => s.phase);
  const stale = useHypha((s) => s.connection.state === 'retrying');
  const { connect, openDetail, closeDetail } = useActions();
  const route = useRoute();
  const [help, setHelp] = useState(false);
  useShortcuts({ '?': () => setHelp(true) }, phase === 'ready' && !help);
  useWarmLaterChunks(phase === 'ready');

  useEffect(() => connect(), [connect]);
  useEffect(() => {
    if (route.view === 'service') openDetail(route.id);
    else closeDetail();
  }, [route, openDetail, closeDetail]);

  if (phase === 'unauthorized') return <NotAuthorised canEnterToken={canEnterToken} />;
  if (phase === 'loading') return <Loading />;
  if (phase === 'unreachable') return <Unreachable />;
  return (
    <div className={stale ? 'app app--stale' : 'app'}>
      <Header />
      <ConnectionBanner />
      {route.view === 'service' ? (
        <Suspense fallback={<p className="muted pad">Loading…</p>}>
          <ServiceDetail id={route.id} />
        </Suspense>
      ) : (
        <>
          <Overview />
          <Suspense fallback={null}>
            <Remotes />
          </Suspense>
        </>
      )}
      {help && (
        <Suspense fallback={null}>
          <KeyboardHelp onClose={() => setHelp(false)} />
        </Suspense>
      )}
      <p className="shortcut-hint muted small">
        Press <kbd>?</kbd> for keyboard shortcuts
      </p>
    </div>
  );
}
