// What `ssh -L LOCAL:127.0.0.1:REMOTE host` does, in-process: a loopback TCP port whose every
// connection is piped to another port. Tests reach a second daemon through it exactly as a person
// reaches another machine's Hypha, Host header and all (the far end sees the tunnel's port in it).
import net from 'node:net';

export interface Tunnel {
  port: number;
  url: string;
  /** Stops listening and cuts every open connection (the ssh session ended). */
  close(): Promise<void>;
}

export function openTunnel(targetPort: number): Promise<Tunnel> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        url: `http://127.0.0.1:${address.port}`,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
