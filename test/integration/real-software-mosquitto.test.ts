// Real software: the mosquitto MQTT broker from the distribution, both ways people run it. In the
// foreground (`mosquitto -c FILE`) it is supervised like any program, and a stop is graceful: its
// own log says it is terminating, and nothing of it is left. Told to go into the background (`-d`)
// without `pidfile:`, it is caught doing so, with a message that says what to change, and the
// broker is not left running untracked. /proc is the witness. Run with cgroups (where this machine
// lets Hypha make them) and with the tree fallback. Skipped, saying so, where mosquitto is not
// installed (CI installs it).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliveOf, freePort, requireProgram, tempDir, waitFor } from '../helpers/index.js';
import { fixtureReaper } from '../helpers/fixtures.js';
import { q, startDaemon, useDaemons } from '../helpers/daemon.js';

const daemons = useDaemons();
const hasMosquitto = requireProgram('mosquitto', 'real-software-mosquitto');

function brokerConf(dir: string, port: number): string {
  const file = join(dir, 'mosquitto.conf');
  writeFileSync(
    file,
    `listener ${port} 127.0.0.1
allow_anonymous true
persistence false
log_dest stdout
log_type all
${process.getuid?.() === 0 ? 'user root' : ''}
`,
  );
  return file;
}

for (const env of [{}, { HYPHA_CGROUPS: '0' }] as Record<string, string>[]) {
  describe.skipIf(!hasMosquitto)(`real software: mosquitto${env.HYPHA_CGROUPS ? ' (tree fallback)' : ''}`, () => {
    it('in the foreground: supervised, and a stop is graceful and leaves nothing', async () => {
      const dir = tempDir('hypha-mqtt-');
      const port = await freePort();
      const d = await startDaemon(
        `api: { port: 0 }
services:
  mqtt:
    command: [mosquitto, -c, ${q(brokerConf(dir, port))}]
    port: ${port}
    health: { tcp: "127.0.0.1:${port}", interval: 1s }
`,
        { dir, env },
      );
      daemons.push(d);
      const up = await d.waitFor('mqtt', (x) => x.health === 'healthy' && x.pid !== null, 'healthy');
      const pid = up.pid as number;
      fixtureReaper.add(pid);
      const stop = await d.cli(['stop', 'mqtt']);
      expect(stop.code, stop.stdout + stop.stderr).toBe(0);
      expect(aliveOf([pid])).toEqual([]);
      const logs = await d.api<{ lines: { text: string }[] }>('GET', '/api/services/mqtt/logs?lines=200');
      const text = logs.body.lines.map((l) => l.text).join('\n');
      // SIGTERM reached the broker, which shut down on its own terms (no SIGKILL needed).
      expect(text).toMatch(/mosquitto version [\d.]+ terminating/);
      expect(text).not.toMatch(/stop timed out/);
    });

    it('-d without pidfile: caught going into the background, with the message, and nothing of it is left', async () => {
      const dir = tempDir('hypha-mqtt-');
      const port = await freePort();
      const d = await startDaemon(
        `api: { port: 0 }
services:
  mqtt:
    command: [mosquitto, -d, -c, ${q(brokerConf(dir, port))}]
    port: ${port}
`,
        { dir, env },
      );
      daemons.push(d);
      const s = await d.waitFor('mqtt', (x) => x.state === 'failed', 'failed as a daemonizer');
      expect(s.lastError).toMatch(/^mosquitto went into the background \(pid \d+\): run it in the foreground \(without -d\) or set pidfile:$/);
      const broker = Number(/pid (\d+)/.exec(s.lastError ?? '')?.[1]);
      fixtureReaper.add(broker);
      await waitFor(() => (aliveOf([broker]).length === 0 ? true : null), { message: `mosquitto ${broker} ended` });
    });
  });
}
