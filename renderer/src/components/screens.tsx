// Whole-page states: loading, refused token, daemon gone, nothing configured.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useNow } from '../hooks/useNow.js';
import { useActions, useHypha } from '../store/context.js';
import { saveToken } from '../transport/token.js';

const EXAMPLE = `api:
  port: 8780
services:
  web:
    command: node server.mjs
    env: { PORT: "3000" }
    port: 3000
    health:
      http: http://127.0.0.1:3000/health
    restart:
      policy: on-failure`;

function Screen({ title, tone, children }: { title: string; tone: 'info' | 'error'; children: ReactNode }) {
  return (
    <main className={`screen screen--${tone}`} aria-labelledby="screen-title">
      <div className="screen__card">
        <h1 id="screen-title" className="screen__title">
          {title}
        </h1>
        {children}
      </div>
    </main>
  );
}

export function Loading() {
  return (
    <Screen title="Connecting to Hypha…" tone="info">
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> Asking the supervisor for its services.
      </p>
    </Screen>
  );
}

export function NotAuthorised({ canEnterToken }: { canEnterToken: boolean }) {
  const problem = useHypha((s) => s.problem);
  const [token, setToken] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!token.trim()) return;
    saveToken(window.sessionStorage, token);
    window.location.reload();
  };
  return (
    <Screen title="Not authorised" tone="error">
      <p>The Hypha daemon did not accept this dashboard’s access token.</p>
      {problem && <p className="muted">The daemon said: {problem}</p>}
      <p>
        A new token is made each time the daemon starts. Run <code>hypha open</code> to get a fresh link, or open the{' '}
        <code>url</code> with <code>#token=…</code> from <code>daemon.json</code> in Hypha’s state folder.
      </p>
      {canEnterToken && (
        <form className="token-form" onSubmit={submit}>
          <label className="field field--grow">
            <span className="field__label">Access token</span>
            <input
              className="input mono"
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
          </label>
          <button type="submit" className="btn btn--primary">
            Use this token
          </button>
        </form>
      )}
    </Screen>
  );
}

export function Unreachable() {
  const problem = useHypha((s) => s.problem);
  const retryAt = useHypha((s) => s.retryAt);
  const { load } = useActions();
  const now = useNow();
  const seconds = retryAt === null ? null : Math.max(0, Math.ceil((retryAt - now) / 1000));
  return (
    <Screen title="Can’t reach the Hypha daemon" tone="error">
      <p>{problem ?? 'The supervisor is not answering.'}</p>
      <p className="muted">
        Is it running? Start it with <code>hypha daemon</code> (or <code>npm start</code> for the tray app).
      </p>
      <p className="screen__row" role="status">
        <span className="muted">{seconds === null ? 'Retrying…' : seconds > 0 ? `Retrying in ${seconds}s…` : 'Retrying…'}</span>
        <button type="button" className="btn btn--small" onClick={() => void load()}>
          Try now
        </button>
      </p>
    </Screen>
  );
}

export function EmptyState() {
  const info = useHypha((s) => s.info);
  const builtIn = !info || info.configFile === '<built-in>';
  return (
    <main className="empty" aria-labelledby="empty-title">
      <div className="screen__card">
        <h1 id="empty-title" className="screen__title">
          No services configured
        </h1>
        <p>
          {builtIn ? (
            <>Hypha is running without a config file. Create a <code>hypha.yaml</code> and start it with <code>hypha daemon -c hypha.yaml</code>.</>
          ) : (
            <>
              Add services to <code className="path">{info.configFile}</code>, then run <code>hypha reload</code>.
            </>
          )}
        </p>
        <p className="muted">For example:</p>
        <pre className="example">
          <code>{EXAMPLE}</code>
        </pre>
        <p className="muted">
          Check a file with <code>hypha validate -c hypha.yaml</code>.
        </p>
      </div>
    </main>
  );
}
