// `hypha validate [-c FILE] [--profile NAME]`: checks the config the daemon would use here, and
// says which one it is — a file, or the built-in demo because no hypha.yaml/hypha.yml was found —
// and warns when a file declares no service at all, or no env_NAME for the profile asked for.
import { formatConfigError } from '../contract/config.js';
import { loadConfig } from '../core/config/default.js';
import { profileWarning, selectProfile } from '../core/config/profiles.js';
import { resolveConfigPath, userConfigPath } from '../core/config/resolve.js';
import type { Ctx } from './command.js';
import { homedir } from 'node:os';

export function validate(ctx: Ctx): number {
  const flag = ctx.values.config as string | undefined;
  const opts = { flag, env: ctx.env, cwd: ctx.cwd };
  const chosen = selectProfile(ctx.values.profile as string | undefined, ctx.env);
  if (!chosen.ok) {
    ctx.err(`hypha: ${chosen.error}`);
    return 2;
  }
  const file = resolveConfigPath(opts);
  const r = loadConfig(opts, { profile: chosen.profile });
  if (!r.ok) {
    for (const e of r.errors) ctx.err(formatConfigError(e));
    return 2;
  }
  const undefinedProfile = profileWarning(r.config);
  if (undefinedProfile) ctx.err(`warning: ${undefinedProfile}`);
  if (file === null) {
    const user = userConfigPath(ctx.env, process.platform, homedir());
    ctx.out(`ok: built-in demo: no hypha.yaml found in ${ctx.cwd} (nor ${user})`);
    return 0;
  }
  const n = r.config.services.length;
  ctx.out(`ok: ${file} (${n} service${n === 1 ? '' : 's'}${chosen.profile === null ? '' : `, profile ${chosen.profile}`})`);
  if (n === 0) ctx.err(`warning: ${file} has no services: add one under \`services:\` (hypha init writes a start)`);
  return 0;
}
