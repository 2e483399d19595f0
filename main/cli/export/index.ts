// `hypha export systemd|compose|kubernetes [-c FILE] [--profile NAME] [--out DIR] [--check]` (SPEC §7):
// the loaded config (with the profile's env merged, as the daemon would run it) as units, a compose file or manifests, so services can move to a server or a cluster
// without rewriting their config. Without --out the files go to stdout; whatever the target cannot
// express is a comment in the output and a line on stderr; --check prints the mapping table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatConfigError } from '../../contract/config.js';
import { BUILT_IN_FILE, loadConfig } from '../../core/config/default.js';
import { profileWarning, selectProfile } from '../../core/config/profiles.js';
import { CliError } from '../client.js';
import { exportCompose } from './compose.js';
import { PLACEHOLDER_IMAGE, serviceImages } from './images.js';
import { exportKubernetes } from './kubernetes.js';
import { type OutFile, Report } from './report.js';
import { exportSystemd } from './systemd.js';

export const TARGETS = ['systemd', 'compose', 'kubernetes'] as const;
export type Target = (typeof TARGETS)[number];

export const EXPORT_HELP = `usage: hypha export systemd|compose|kubernetes [-c FILE] [--profile NAME] [--out DIR] [--check]

Writes the config (the one \`hypha daemon\` would load, or -c FILE) for another engine:
  systemd      one .service per service, a .timer per scheduled oneshot, hypha.target
               [--user] for user units (~/.config/systemd/user)
  compose      compose.yaml [--image IMAGE] (or x-image: on a service in hypha.yaml)
  kubernetes   Deployments, Services, ConfigMaps, Jobs, CronJobs (hypha.k8s.yaml) [--image IMAGE]
What the target cannot express is a comment in the output and a line on stderr.

  --profile NAME  the environment profile: env_NAME merged over env (default $HYPHA_PROFILE)
  --out DIR       write the files into DIR (created if missing) instead of stdout
  --check         print the mapping table (hypha.yaml key → target setting) instead`;

export interface ExportOptions {
  user?: boolean;
  image?: string;
}

/** The files of an export and its report; exported for tests. */
export function exportConfig(target: Target, config: Parameters<typeof exportSystemd>[0], opts: ExportOptions = {}): { files: OutFile[]; report: Report } {
  const report = new Report();
  const xImages = config.file === BUILT_IN_FILE ? new Map<string, string>() : serviceImages(config.file);
  const image = (id: string): string => {
    const chosen = xImages.get(id) ?? opts.image;
    if (chosen) return chosen;
    report.lose(id, 'image', `no --image or x-image; ${PLACEHOLDER_IMAGE} is a placeholder`);
    return PLACEHOLDER_IMAGE;
  };
  const files =
    target === 'systemd'
      ? exportSystemd(config, report, { user: opts.user === true })
      : target === 'compose'
        ? exportCompose(config, report, { image })
        : exportKubernetes(config, report, { image, waitImage: 'busybox:1.36' });
  return { files, report };
}

export function exportCommand(args: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        profile: { type: 'string' },
        out: { type: 'string', short: 'o' },
        check: { type: 'boolean' },
        user: { type: 'boolean' },
        image: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n${EXPORT_HELP}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${EXPORT_HELP}\n`);
    return 0;
  }
  const target = positionals[0] as Target | undefined;
  if (positionals.length !== 1 || !target || !TARGETS.includes(target)) throw new CliError(`export needs one target: ${TARGETS.join(', ')}\n${EXPORT_HELP}`, 2);
  if (values.user && target !== 'systemd') throw new CliError('--user is for systemd only', 2);
  const chosen = selectProfile(values.profile as string | undefined, process.env);
  if (!chosen.ok) throw new CliError(chosen.error, 2);
  const loaded = loadConfig({ flag: values.config as string | undefined, env: process.env, cwd: process.cwd() }, { profile: chosen.profile });
  if (!loaded.ok) {
    for (const e of loaded.errors) process.stderr.write(`${formatConfigError(e)}\n`);
    return 2;
  }
  const undefinedProfile = profileWarning(loaded.config);
  if (undefinedProfile) process.stderr.write(`hypha export: warning: ${undefinedProfile}\n`);
  const { files, report } = exportConfig(target, loaded.config, { user: values.user === true, image: values.image as string | undefined });
  if (values.check) process.stdout.write(`${report.table()}\n`);
  else if (values.out !== undefined) {
    const dir = values.out as string;
    mkdirSync(dir, { recursive: true });
    for (const f of files) writeFileSync(join(dir, f.name), f.text);
    process.stdout.write(`${files.map((f) => join(dir, f.name)).join('\n')}\n`);
  } else if (files.length === 1) process.stdout.write((files[0] as OutFile).text);
  else for (const f of files) process.stdout.write(`### ${f.name}\n${f.text}\n`);
  for (const w of report.warnings(target)) process.stderr.write(`hypha export: ${w}\n`);
  return 0;
}
