// A second Hypha (another machine, usually reached through `ssh -L`): the shapes the local daemon's
// API, the CLI, the tray and the dashboard share. The local daemon keeps each remote's token and
// talks to it; the browser and the tray only ever see names, URLs and what the remote answered,
// never a token. Types and constant data only.
import type { Action } from './control.js';
import type { ServiceStatus } from './status.js';

/** A remote's name: what its section and tray submenu are headed by. */
export const REMOTE_NAME = /^[a-z0-9-]{1,32}$/;

/** What a person gives to add a remote. */
export interface RemoteInput {
  name: string;
  /** Origin of the remote's API as reached from here, e.g. the local end of a tunnel `http://127.0.0.1:18765`. */
  url: string;
  /** The remote daemon's bearer token (its daemon.json `token`, or the `#token=` of its `hypha open`). */
  token: string;
  /**
   * The port the remote Hypha itself listens on, when it differs from the URL's (a tunnel
   * `ssh -L 18765:127.0.0.1:8780` → 8780). Hypha only answers a Host naming its own port.
   */
  remotePort?: number;
  /** Replace a remote of the same name (its daemon restarted and made a new token); else a taken name is 409. */
  replace?: boolean;
}

/** A remote as everyone but the daemon sees it: no token. */
export interface RemoteView {
  name: string;
  url: string;
  remotePort: number | null;
  /** Whether the last call answered; the services are from that answer. */
  reachable: boolean;
  /** Why it is not reachable (or refused the token), in words a person can act on. */
  error: string | null;
  /** The remote's version, from its ping. */
  version: string | null;
  /** ISO time of the last contact attempt. */
  checkedAt: string;
  services: ServiceStatus[] | null;
  /** A caution that does not stop it working (plain http to a machine that is not this one). */
  warning?: string;
}

/** The actions the remote view offers: the same ones as for local services. */
export type RemoteAction = Action;

/** A failure talking to or about a remote, with the HTTP status that fits it. */
export class RemoteError extends Error {
  constructor(
    message: string,
    /** 400 bad input · 404 no such remote or service · 409 name taken · 502 the remote failed or refused · 504 no answer in time. */
    readonly status: 400 | 404 | 409 | 502 | 504 = 502,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/** The remotes as the local daemon offers them to its adapters (API, tray). */
export interface RemotesControl {
  /** Every remote, each asked for its services now (concurrently, with a short timeout). */
  list(): Promise<RemoteView[]>;
  /** Checks the remote answers a ping and accepts the token, then saves it. */
  add(input: RemoteInput): Promise<RemoteView>;
  /** Throws RemoteError(404) for an unknown name. */
  remove(name: string): Promise<void>;
  services(name: string): Promise<ServiceStatus[]>;
  get(name: string, id: string): Promise<ServiceStatus>;
  act(name: string, action: RemoteAction, id: string): Promise<ServiceStatus[]>;
}

/**
 * How a token is kept at rest. The desktop app seals it with the OS keychain (Electron's
 * safeStorage); elsewhere it is kept as is, in a file only this user can read (0600).
 */
export interface SecretBox {
  readonly kind: 'plain' | 'safeStorage';
  seal(token: string): string;
  /** Throws when the sealed text cannot be opened here (another machine's or user's keychain). */
  open(sealed: string): string;
}
