// Parsing of health probe targets: `http: URL` and `tcp: "host:port"` (SPEC §6 "Probe forms").

export interface HostPort {
  host: string;
  port: number;
}

/** `127.0.0.1:5432`, `localhost:80`, `[::1]:8080` → {host, port}; brackets are dropped from IPv6 hosts. */
export function parseHostPort(text: string): HostPort | null {
  const m = /^(?:\[([^\]]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return null;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1] ?? m[2], port };
}

/** Only http(s) URLs with a host can be probed. */
export function isHttpUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}
