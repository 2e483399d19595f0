// PM2's per-profile env (`env_production`, any `env_<name>`, used with `pm2 start --env NAME`)
// imports as Hypha's `env_<profile>` key: the converted file validates, and loaded with that
// profile each service gets the profile's values over its env. A name Hypha's rule does not take
// is fitted (and the comment says so); a value that is not a mapping stays a comment.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Mapping } from '../../main/cli/import/mapping.js';
import { importPm2 } from '../../main/cli/import/pm2.js';
import { renderYaml, warnings } from '../../main/cli/import/render.js';
import { formatConfigError } from '../../main/contract/config.js';
import { parseConfigText } from '../../main/core/config/load.js';

function importApps(apps: unknown[]): { m: Mapping; text: string } {
  const m = new Mapping('pm2');
  importPm2({ apps }, m);
  return { m, text: renderYaml(m, '/proj/ecosystem.config.js') };
}

function envWith(text: string, profile: string | null, id: string): Record<string, string> {
  const r = parseConfigText(text, '/proj/hypha.yaml', { profile });
  if (!r.ok) throw new Error(`${r.errors.map(formatConfigError).join('\n')}\n${text}`);
  const s = r.config.services.find((x) => x.id === id);
  if (!s) throw new Error(`no ${id}`);
  return s.env;
}

describe('PM2 env_<name> → env_<profile>', () => {
  it('maps env_production and env_staging to the same keys, with a row each and no comment', () => {
    const { m, text } = importApps([
      { name: 'api', script: 'server.js', env: { NODE_ENV: 'development', PORT: 3000 }, env_production: { NODE_ENV: 'production', DEBUG: false }, env_staging: { NODE_ENV: 'staging' } },
    ]);
    const doc = parse(text) as { services: Record<string, Record<string, unknown>> };
    expect(doc.services.api).toMatchObject({ env_production: { NODE_ENV: 'production', DEBUG: 'false' }, env_staging: { NODE_ENV: 'staging' } });
    expect(m.rows.filter((r) => r.option.startsWith('env_'))).toEqual([
      { service: 'api', option: 'env_production', key: 'env_production', note: 'hypha daemon --profile production (pm2 --env production)' },
      { service: 'api', option: 'env_staging', key: 'env_staging', note: 'hypha daemon --profile staging (pm2 --env staging)' },
    ]);
    expect(warnings(m).filter((w) => w.includes('env_'))).toEqual([]);
    expect(text).not.toContain('not mapped');

    expect(envWith(text, null, 'api')).toEqual({ NODE_ENV: 'development', PORT: '3000' });
    expect(envWith(text, 'production', 'api')).toEqual({ NODE_ENV: 'production', PORT: '3000', DEBUG: 'false' });
    expect(envWith(text, 'staging', 'api')).toEqual({ NODE_ENV: 'staging', PORT: '3000' });
  });

  it('fits a name Hypha does not take (env_Prod.EU → env_prod-eu) and says so; a non-mapping stays a comment', () => {
    const { m, text } = importApps([{ name: 'web', script: 'web.js', 'env_Prod.EU': { REGION: 'eu' }, env_broken: 'NODE_ENV=production' }]);
    expect((parse(text) as { services: { web: Record<string, unknown> } }).services.web['env_prod-eu']).toEqual({ REGION: 'eu' });
    expect(text).toContain("env_Prod.EU — renamed to fit Hypha's profile names ([a-z0-9_-]+): hypha daemon --profile prod-eu");
    expect(warnings(m)).toContain("web: env_Prod.EU mapped only as env_prod-eu — renamed to fit Hypha's profile names ([a-z0-9_-]+): hypha daemon --profile prod-eu");
    expect(text).toContain('env_broken: "NODE_ENV=production" — not a mapping of variables');
    expect(m.rows.find((r) => r.option === 'env_broken')?.key).toBeNull();
    expect(envWith(text, 'prod-eu', 'web')).toEqual({ REGION: 'eu' });
  });
});
