import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../main/core/config/load.js';

const load = (text: string) => parseConfigText(text, '/cfg/hypha.yaml');
const errors = (text: string): string[] => {
  const r = load(text);
  return r.ok ? [] : r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
};

describe('replicas:', () => {
  it('makes ID-0 … ID-(N-1) with HYPHA_REPLICA, ports from port, probes on their own port, dependents on every copy', () => {
    const r = load(
      [
        'services:',
        '  web:',
        '    name: Web',
        '    command: serve --port ${HYPHA_PORT} --n ${HYPHA_REPLICA}',
        '    port: 8000',
        '    replicas: 3',
        '    health: { http: "http://127.0.0.1:8000/health" }',
        '  proxy:',
        '    command: x',
        '    depends_on: { web: { condition: healthy } }',
        '  solo:',
        '    command: x',
        '    replicas: 1',
        '',
      ].join('\n'),
    );
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    const ids = r.config.services.map((s) => s.id);
    expect(ids).toEqual(['web-0', 'web-1', 'web-2', 'proxy', 'solo']);
    const [w0, , w2, proxy, solo] = r.config.services;
    expect(w2).toMatchObject({
      name: 'Web #2',
      command: 'serve --port 8002 --n 2',
      port: 8002,
      replica: { of: 'web', index: 2, count: 3 },
      env: { HYPHA_REPLICA: '2', HYPHA_REPLICAS: '3', HYPHA_PORT: '8002' },
    });
    expect(w0?.health?.probe).toEqual({ kind: 'http', url: 'http://127.0.0.1:8000/health' });
    expect(w2?.health?.probe).toEqual({ kind: 'http', url: 'http://127.0.0.1:8002/health' });
    expect(proxy?.dependsOn).toEqual(['web-0', 'web-1', 'web-2'].map((id) => ({ id, condition: 'healthy', restart: false })));
    expect(solo).toMatchObject({ id: 'solo', name: 'solo', replica: { of: 'solo', index: 0, count: 1 }, env: { HYPHA_REPLICA: '0' } });
  });

  it('reports bad counts, taken ids, ports past 65535 and clashes at file:line:col', () => {
    expect(errors('services:\n  web:\n    command: x\n    replicas: 0\n')).toEqual(['4:15: services.web.replicas: must be at least 1']);
    expect(errors('services:\n  web:\n    command: x\n    replicas: 2.5\n')).toEqual([
      '4:15: services.web.replicas: expected a whole number of copies, got 2.5',
    ]);
    expect(errors('services:\n  web:\n    command: x\n    replicas: 3\n  web-1:\n    command: x\n')).toEqual([
      '4:15: services.web.replicas: copy id "web-1" is already a service\'s id',
    ]);
    expect(errors('services:\n  web:\n    command: x\n    port: 65535\n    replicas: 2\n')).toEqual([
      '5:15: services.web.replicas: 2 copies from port 65535 go past 65535',
    ]);
    expect(errors('services:\n  web:\n    command: x\n    port: 8000\n    replicas: 3\n  db:\n    command: x\n    port: 8002\n')).toEqual([
      '8:11: services.db.port: port 8002 is already used by services.web (copy 2)',
    ]);
  });
});
