// `hypha init`'s reading of a folder (issue 15): ids made valid from any name, Procfile lines,
// process-compose processes with their dependencies, a package.json start script.
import { describe, expect, it } from 'vitest';
import { fromPackageJson, fromProcessCompose, fromProcfile, serviceId } from '../../main/cli/init.js';

describe('hypha init', () => {
  it('makes valid service ids of any name', () => {
    expect(serviceId('@acme/Web App')).toBe('web-app');
    expect(serviceId('__x__')).toBe('x__');
    expect(serviceId('all')).toBe('all-app');
    expect(serviceId('!!!')).toBe('app');
    expect(serviceId('a'.repeat(80))).toHaveLength(63);
  });

  it('reads Procfile lines, skipping comments and repeats', () => {
    expect(fromProcfile('web: node s.js\n# c: x\nweb: again\nrelease: ./migrate\n')).toEqual([
      { id: 'web', command: 'node s.js', from: 'Procfile' },
      { id: 'release', command: './migrate', from: 'Procfile' },
    ]);
  });

  it('reads process-compose processes and keeps dependencies among them', () => {
    const text = 'processes:\n  DB:\n    command: redis-server\n  api:\n    command: node api.js\n    depends_on: { DB: { condition: process_healthy }, gone: {} }\n  nocmd: {}\n';
    expect(fromProcessCompose(text, 'process-compose.yaml')).toEqual([
      { id: 'db', command: 'redis-server', from: 'process-compose.yaml' },
      { id: 'api', command: 'node api.js', from: 'process-compose.yaml', dependsOn: ['db'] },
    ]);
    expect(fromProcessCompose('processes: [', 'x')).toEqual([]);
  });

  it('turns a start script into `npm start`, and nothing else', () => {
    expect(fromPackageJson('{"name":"shop","scripts":{"start":"vite"}}')).toEqual([{ id: 'shop', command: 'npm start', from: 'package.json "start": vite' }]);
    expect(fromPackageJson('{"scripts":{"dev":"vite"}}')).toEqual([]);
    expect(fromPackageJson('not json')).toEqual([]);
  });
});
