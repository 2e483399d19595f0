import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { StoreProvider } from './store/context.js';
import { createHyphaStore } from './store/store.js';
import { pickTransport } from './transport/pick.js';
import './styles.css';

const { api, kind } = pickTransport(window);
const hypha = createHyphaStore(api, { prefetch: true });
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

function mount(): void {
  createRoot(root as HTMLElement).render(
    <StrictMode>
      <StoreProvider value={hypha}>
        <App canEnterToken={kind === 'http'} />
      </StoreProvider>
    </StrictMode>,
  );
}

// The first list is usually in already, or a moment away (public/assets/boot.js asked for it
// while this bundle loaded): React's first render is then the list itself, not a loading screen
// that is rendered, laid out and replaced a few milliseconds later. A slow daemon costs the
// loading screen at most FIRST_LIST_WAIT_MS.
const FIRST_LIST_WAIT_MS = 50;
new Promise<void>((resolve) => {
  if (hypha.store.getState().phase !== 'loading') return resolve();
  const timer = setTimeout(done, FIRST_LIST_WAIT_MS);
  const unsubscribe = hypha.store.subscribe((s) => {
    if (s.phase !== 'loading') done();
  });
  function done(): void {
    clearTimeout(timer);
    unsubscribe();
    resolve();
  }
}).then(mount);
