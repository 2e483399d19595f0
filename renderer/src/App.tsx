// Which page to show: a whole-page state until the service list is in, then overview or detail.
import { useEffect, useState } from 'react';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { KeyboardHelp } from './components/KeyboardHelp.js';
import { Loading, NotAuthorised, Unreachable } from './components/screens.js';
import { Overview } from './components/Overview.js';
import { ServiceDetail } from './components/ServiceDetail.js';
import { useRoute } from './hooks/useRoute.js';
import { useShortcuts } from './hooks/useShortcuts.js';
import { useActions, useHypha } from './store/context.js';

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
      {route.view === 'service' ? <ServiceDetail id={route.id} /> : <Overview />}
      {help && <KeyboardHelp onClose={() => setHelp(false)} />}
      <p className="shortcut-hint muted small">
        Press <kbd>?</kbd> for keyboard shortcuts
      </p>
    </div>
  );
}
