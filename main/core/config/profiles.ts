// Environment profiles, PM2's `env_production` (issue 13 item 4): `env_<profile>:` maps at the top
// level and in each service, merged over the `env:` beside them while that profile is active
// (`hypha daemon --profile NAME` or HYPHA_PROFILE). Here: taking those keys out of the raw config
// before the schema check (a zod object cannot accept keys by pattern) and checking them on their
// own, with the same env rules and errors as `env`. Choosing the profile from the flag and the
// environment, and the warning for a profile no `env_<profile>` key defines, are profile-choice.ts
// (no schema there, so the daemon can use them without zod); re-exported here. The merge itself
// is normalize.ts's, where `${VAR}` expansion happens.
import { describeValue } from './describe-value.js';
import { errorMap, issuesToProblems } from './issues.js';
import type { Problem } from './problem.js';
import { profileEnvSchema } from './schema.js';
import { isProfileName, PROFILE_NAME_RULE as NAME_RULE, PROFILE_PREFIX as PREFIX } from './profile-choice.js';
import type { Path } from './yaml-positions.js';

export type ProfileEnv = Record<string, string | number | boolean>;

/** Every `env_<profile>` map of a file, by profile name; services by their id as written. */
export interface ProfileEnvs {
  top: Map<string, ProfileEnv>;
  services: Map<string, Map<string, ProfileEnv>>;
}

export { profileKey, profileWarning, selectProfile, type ProfileChoice } from './profile-choice.js';

/** `env_production` → true; `env` and `env_file` are not profile keys. */
export function isProfileKey(key: string): boolean {
  return key.startsWith(PREFIX) && key !== 'env_file';
}

export function emptyProfileEnvs(): ProfileEnvs {
  return { top: new Map(), services: new Map() };
}

/**
 * The raw config without its `env_<profile>` keys (for the schema), those keys' valid maps, and
 * a problem for every bad one: a name that breaks the rule (named in the message), or a value
 * that `env` would refuse.
 */
export function splitProfiles(raw: unknown): { raw: unknown; envs: ProfileEnvs; problems: Problem[] } {
  const envs = emptyProfileEnvs();
  const problems: Problem[] = [];
  if (!isRecord(raw)) return { raw, envs, problems };
  const top = take(raw, [], envs.top, problems);
  if (!isRecord(raw.services)) return { raw: top, envs, problems };
  // Object.fromEntries, not assignment: a `__proto__` key stays a key (readYaml reports it).
  const services = Object.fromEntries(
    Object.entries(raw.services).map(([id, svc]) => {
      if (!isRecord(svc)) return [id, svc];
      const own = new Map<string, ProfileEnv>();
      const rest = take(svc, ['services', id], own, problems);
      if (own.size > 0) envs.services.set(id, own);
      return [id, rest];
    }),
  );
  return { raw: { ...top, services }, envs, problems };
}

function take(obj: Record<string, unknown>, at: Path, into: Map<string, ProfileEnv>, problems: Problem[]): Record<string, unknown> {
  const rest: [string, unknown][] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (!isProfileKey(key)) {
      rest.push([key, value]);
      continue;
    }
    const path = [...at, key];
    const name = key.slice(PREFIX.length);
    if (!isProfileName(name)) {
      problems.push({ path, target: 'key', message: `invalid profile name ${describeValue(name)}: use ${NAME_RULE} (env_production, env_staging)` });
      continue;
    }
    const parsed = profileEnvSchema.safeParse(value, { error: errorMap });
    if (!parsed.success) {
      problems.push(...issuesToProblems(parsed.error.issues, path));
      continue;
    }
    into.set(name, parsed.data);
  }
  return Object.fromEntries(rest);
}

/** The profile names a file defines anywhere, in the order first met. */
export function definedProfiles(envs: ProfileEnvs): string[] {
  const names = new Set<string>(envs.top.keys());
  for (const own of envs.services.values()) for (const name of own.keys()) names.add(name);
  return [...names];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
