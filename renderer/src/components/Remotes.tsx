// Other Hyphas (another machine, reached through `ssh -L`): a form to add one, and per remote a
// section headed by its name with its services and the same Start/Stop/Restart buttons as local
// rows. The local daemon keeps each remote's token and relays the calls; this page only ever sends
// a token once, when adding. Remotes have no live stream here, so the section polls while shown.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Action, RemotesApi } from '../../../main/contract/api.js';
import type { RemoteView } from '../../../main/contract/remotes.js';
import type { ServiceStatus } from '../../../main/contract/status.js';
import { describeProblem } from '../format.js';
import { useRemotesApi } from '../store/context.js';
import { toHyphaError } from '../transport/errors.js';
import { actionsFor } from './ServiceActions.js';
import { StatusBadge } from './StatusBadge.js';
import { Uptime } from './Uptime.js';

/** How often the remotes are asked again; each ask waits on every remote at once. */
const POLL_MS = 3_000;
/** The tray's "Add another machine…" opens the window here (main/desktop/tray-actions.ts). */
const ADD_REMOTE_HASH = '#/add-remote';

const LABEL: Record<Action, string> = { start: 'Start', stop: 'Stop', restart: 'Restart', run: 'Run now' };
const PENDING_LABEL: Record<Action, string> = { start: 'Starting…', stop: 'Stopping…', restart: 'Restarting…', run: 'Running…' };

interface Loaded {
  remotes: RemoteView[];
  /** When they arrived: uptimes tick on from here. */
  at: number;
}

export function Remotes() {
  const api = useRemotesApi();
  if (!api) return null;
  return <RemotesSection api={api} />;
}

function RemotesSection({ api }: { api: RemotesApi }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const remotes = await api.list();
      if (mine === seq.current) {
        setLoaded({ remotes, at: Date.now() });
        setError(null);
      }
    } catch (thrown) {
      const failure = toHyphaError(thrown);
      // Status 0: the local daemon itself is gone, which the connection banner already says.
      if (mine === seq.current) setError(failure.status === 0 ? null : failure.message);
    }
  }, [api]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const tick = async (): Promise<void> => {
      await refresh();
      if (live) timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [refresh]);

  return (
    <section className="remotes" aria-labelledby="remotes-title">
      <h2 id="remotes-title" className="remotes__title">
        Other machines
      </h2>
      {error && (
        <p className="notice notice--error" role="alert">
          <span className="notice__text">Could not list the other machines: {error}</span>
        </p>
      )}
      {loaded?.remotes.map((r) => <RemoteSection key={r.name} remote={r} receivedAt={loaded.at} api={api} onChange={refresh} />)}
      <AddRemote api={api} onAdded={refresh} first={loaded === null ? null : loaded.remotes.length === 0} />
    </section>
  );
}

function RemoteSection({ remote, receivedAt, api, onChange }: { remote: RemoteView; receivedAt: number; api: RemotesApi; onChange: () => Promise<void> }) {
  const [removing, setRemoving] = useState(false);
  const titleId = `remote-${remote.name}`;
  const services = remote.services ?? [];
  const online = services.filter((s) => s.status === 'online').length;
  const remove = async (): Promise<void> => {
    setRemoving(true);
    try {
      await api.remove(remote.name);
    } finally {
      setRemoving(false);
      await onChange();
    }
  };
  return (
    <section className="remote" aria-labelledby={titleId} data-remote={remote.name} data-reachable={String(remote.reachable)}>
      <header className="remote__head">
        <h3 id={titleId} className="remote__name">
          {remote.name}
        </h3>
        <span className="remote__meta muted small">
          <span className="mono">{remote.url}</span>
          {remote.version && <span> · v{remote.version}</span>}
          {remote.reachable && (
            <span>
              {' '}
              · {online} of {services.length} online
            </span>
          )}
        </span>
        <button type="button" className="btn btn--ghost btn--small" disabled={removing} aria-label={`Remove ${remote.name}`} onClick={() => void remove()}>
          Remove
        </button>
      </header>
      {remote.warning && <p className="notice notice--info"><span className="notice__text">{remote.warning}</span></p>}
      {!remote.reachable && (
        <p className="notice notice--error" role="alert">
          <span className="notice__text">{remote.error ?? 'Not reachable.'}</span>
        </p>
      )}
      {remote.reachable && services.length === 0 && <p className="muted small">No services configured there.</p>}
      {services.length > 0 && (
        <ul className="remote__list" aria-label={`Services on ${remote.name}`}>
          {services.map((s) => (
            <RemoteRow key={s.id} remote={remote.name} status={s} receivedAt={receivedAt} api={api} onChange={onChange} />
          ))}
        </ul>
      )}
    </section>
  );
}

function RemoteRow({ remote, status, receivedAt, api, onChange }: { remote: string; status: ServiceStatus; receivedAt: number; api: RemotesApi; onChange: () => Promise<void> }) {
  const [pending, setPending] = useState<Action | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const problem = describeProblem(status);
  const act = async (action: Action): Promise<void> => {
    setPending(action);
    setFailure(null);
    try {
      await api.act(remote, action, status.id);
    } catch (thrown) {
      setFailure(`Could not ${LABEL[action].toLowerCase()} ${status.name} on ${remote}: ${toHyphaError(thrown).message}`);
    } finally {
      setPending(null);
      await onChange();
    }
  };
  const nameId = `remote-${remote}-svc-${status.id}`;
  return (
    <li className={`svc svc--static svc--${status.status}`} aria-labelledby={nameId} data-service={status.id} data-status={status.status}>
      <div className="svc__main">
        <div className="svc__status">
          <StatusBadge status={status} />
        </div>
        <div className="svc__title">
          <span id={nameId} className="svc__name">
            {status.name}
          </span>
          <span className="svc__sub">
            {status.name !== status.id && <span className="mono">{status.id}</span>}
            {status.type === 'oneshot' && <span className="tag">oneshot</span>}
          </span>
        </div>
        <dl className="facts facts--remote">
          <div className="fact fact--pid">
            <dt className="fact__label">PID</dt>
            <dd className="fact__value">{status.pid === null ? '—' : <span className="mono">{status.pid}</span>}</dd>
          </div>
          <div className="fact fact--port">
            <dt className="fact__label">Port</dt>
            <dd className="fact__value">{status.port === null ? '—' : <span className="mono">{status.port}</span>}</dd>
          </div>
          <div className="fact fact--uptime">
            <dt className="fact__label">Uptime</dt>
            <dd className="fact__value">
              <Uptime uptimeMs={status.uptimeMs} receivedAt={receivedAt} />
            </dd>
          </div>
          <div className={`fact fact--restarts ${status.restarts > 0 ? 'fact--warn' : ''}`}>
            <dt className="fact__label">Restarts</dt>
            <dd className="fact__value">{status.restarts}</dd>
          </div>
        </dl>
        <div className="actions" role="group" aria-label={`Actions for ${status.name} on ${remote}`}>
          {actionsFor(status).map((action) => (
            <button
              key={action}
              type="button"
              className={`btn ${action === 'stop' ? 'btn--danger' : action === 'start' || action === 'run' ? 'btn--primary' : ''}`}
              disabled={pending !== null || status.state === 'stopping'}
              aria-busy={pending === action || undefined}
              aria-label={`${pending === action ? PENDING_LABEL[action] : LABEL[action]} ${status.name} on ${remote}`}
              onClick={() => void act(action)}
            >
              {pending === action && <span className="spinner" aria-hidden="true" />}
              {pending === action ? PENDING_LABEL[action] : LABEL[action]}
            </button>
          ))}
        </div>
      </div>
      {problem && (
        <p className={`svc__problem svc__problem--${problem.tone === 'error' ? 'error' : 'muted'} remote__problem`}>
          {problem.kind === 'dependency' ? (problem.root ?? `needs ${problem.chain.join(' → ')}`) : problem.text}
        </p>
      )}
      {failure && (
        <p className="notice notice--error" role="alert">
          <span className="notice__text">{failure}</span>
        </p>
      )}
    </li>
  );
}

/** `first`: whether there is no remote yet (null until known); the form then starts open. */
function AddRemote({ api, onAdded, first }: { api: RemotesApi; onAdded: () => Promise<void>; first: boolean | null }) {
  // null until opened or closed (by a person, the tray's link, or the first list): until then the
  // first list decides, in the same render that shows it, so nothing can race with a click.
  const [open, setOpen] = useState<boolean | null>(null);
  const shown = open ?? first === true;
  const nameInput = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLDetailsElement>(null);
  // The tray's "Add another machine…" opens the window on #/add-remote: open the form and go there.
  useEffect(() => {
    const onHash = (): void => {
      if (window.location.hash !== ADD_REMOTE_HASH) return;
      setOpen(true);
      requestAnimationFrame(() => {
        box.current?.scrollIntoView({ block: 'nearest' });
        nameInput.current?.focus({ preventScroll: true });
      });
    };
    onHash();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [port, setPort] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setAdded(null);
    try {
      const view = await api.add({ name: name.trim(), url: url.trim(), token: token.trim(), ...(port.trim() ? { remotePort: Number(port.trim()) } : {}) });
      setAdded(view.warning ? `Added ${view.name}. ${view.warning}` : `Added ${view.name}.`);
      setName('');
      setUrl('');
      setToken('');
      setPort('');
      await onAdded();
    } catch (thrown) {
      setFailure(toHyphaError(thrown).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details
      ref={box}
      className="remote-add"
      open={shown}
      data-settled={String(first !== null)}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary className="remote-add__summary">Add a Hypha</summary>
      <p className="muted small">
        Another machine’s Hypha, through a tunnel: <code>ssh -L 18765:127.0.0.1:8780 server</code>, then URL <code>http://127.0.0.1:18765</code> and
        the token and port from <code>hypha open</code> run there. The token stays with this machine’s Hypha.
      </p>
      <form className="remote-add__form" onSubmit={(e) => void submit(e)} aria-label="Add a Hypha">
        <label className="field">
          <span className="field__label">Name</span>
          <input ref={nameInput} className="input mono" required pattern="[a-z0-9\-]{1,32}" placeholder="server" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field field--grow">
          <span className="field__label">URL</span>
          <input className="input mono" required type="url" placeholder="http://127.0.0.1:18765" value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label className="field field--grow">
          <span className="field__label">Token</span>
          <input className="input mono" required type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">Port there (if tunnelled)</span>
          <input className="input mono" inputMode="numeric" placeholder="8780" value={port} onChange={(e) => setPort(e.target.value)} />
        </label>
        <button type="submit" className="btn btn--primary" disabled={busy} aria-busy={busy || undefined}>
          {busy && <span className="spinner" aria-hidden="true" />}
          {busy ? 'Checking…' : 'Add'}
        </button>
      </form>
      {failure && (
        <p className="notice notice--error" role="alert">
          <span className="notice__text">{failure}</span>
        </p>
      )}
      {added && (
        <p className="notice notice--info" role="status">
          <span className="notice__text">{added}</span>
        </p>
      )}
    </details>
  );
}
