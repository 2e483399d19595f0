// Choosing the environment profile (`--profile NAME` or HYPHA_PROFILE) and the warning for one no
// `env_<profile>` key defines. Apart from profiles.ts (which checks the keys with the schema) so
// that the daemon, which reads its config in a short child process (host/config-loader.ts), can
// choose and warn without loading zod: this file imports nothing that holds a schema.
import { describeValue } from './describe-value.js';

/** A profile's name, as in `--profile NAME` and the `env_NAME` key (PM2's env_production). */
export const PROFILE_NAME_PATTERN = '^[a-z0-9_-]+$';
export const PROFILE_PREFIX = 'env_';
export const PROFILE_NAME_RULE = 'lowercase letters, digits, - and _';
const profileName = new RegExp(PROFILE_NAME_PATTERN);

export function profileKey(profile: string): string {
  return `${PROFILE_PREFIX}${profile}`;
}

/** Whether `name` is a valid profile name. */
export function isProfileName(name: string): boolean {
  return profileName.test(name);
}

export type ProfileChoice = { ok: true; profile: string | null } | { ok: false; error: string };

/** `--profile NAME` wins over HYPHA_PROFILE; an empty HYPHA_PROFILE means none. */
export function selectProfile(flag: string | undefined, env: NodeJS.ProcessEnv): ProfileChoice {
  const [given, source] = flag !== undefined ? [flag, '--profile'] : [env.HYPHA_PROFILE ?? '', 'HYPHA_PROFILE'];
  if (flag === undefined && given === '') return { ok: true, profile: null };
  if (!isProfileName(given)) {
    return { ok: false, error: `invalid profile name ${describeValue(given)} in ${source}: use ${PROFILE_NAME_RULE}, as in an env_<profile> key` };
  }
  return { ok: true, profile: given };
}

/** Said (not an error) when the active profile is defined by no `env_<profile>` key of the file. */
export function profileWarning(config: { file: string; profile: string | null; profiles: readonly string[] }): string | null {
  if (config.profile === null || config.profiles.includes(config.profile)) return null;
  return `profile ${config.profile} is not defined in ${config.file} (no ${profileKey(config.profile)} key)`;
}
