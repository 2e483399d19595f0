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

createRoot(root).render(
  <StrictMode>
    <StoreProvider value={hypha}>
      <App canEnterToken={kind === 'http'} />
    </StoreProvider>
  </StrictMode>,
);
