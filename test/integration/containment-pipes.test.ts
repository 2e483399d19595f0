// Real pipes: a service's stdout and stderr are pipes the service can open by path
// (`/dev/stdout`, `/dev/stderr`), as under supervisord or a shell, not sockets (ENXIO).
import { describe, expect, it } from 'vitest';
import { startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();

describe('containment: real pipes', () => {
  it.skipIf(process.platform === 'win32')('a oneshot can write to /dev/stdout and /dev/stderr, and both lines are in its log', async () => {
    const d = await startDaemon(`api: { port: 0 }
services:
  paths:
    type: oneshot
    command: "echo to-dev-stdout > /dev/stdout && echo to-dev-stderr > /dev/stderr && test -p /dev/stdout && echo is-a-pipe"
`);
    daemons.push(d);
    const s = await d.waitFor('paths', (x) => x.state === 'completed' || x.state === 'failed', 'completed');
    const r = await d.api<{ lines: { stream: string; text: string }[] }>('GET', '/api/services/paths/logs?lines=50');
    const lines = r.body.lines.map((l) => `${l.stream} ${l.text}`);
    expect(s.state, lines.join('\n')).toBe('completed');
    expect(lines).toContain('stdout to-dev-stdout');
    expect(lines).toContain('stderr to-dev-stderr');
    expect(lines).toContain('stdout is-a-pipe');
  });
});
