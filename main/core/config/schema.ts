// The one source of truth for what hypha.yaml may contain (SPEC §1). It checks each value on its
// own; rules that span values (exactly one probe, dependency graph, duplicate ports, oneshot-only
// keys) live in checks.ts. No transforms here, so the same schema also yields the JSON Schema.
import { z } from 'zod';
import { SERVICE_ID } from '../../contract/control.js';
import { DURATION_PATTERN, MAX_DURATION_MS, parseDuration } from './duration.js';
import { describeValue } from './describe-value.js';
import { isHttpUrl, parseHostPort } from './probe-target.js';
import { parseSchedule } from './schedule.js';
import { SIZE_PATTERN, parseSize } from './size.js';

/** SPEC §1 id rule. */
export const SERVICE_ID_PATTERN = SERVICE_ID;
/** `all` addresses every service in the API and CLI, so no service may be called that. */
export const RESERVED_IDS: readonly string[] = ['all'];

/** Signals that make sense to ask a service to stop with. */
export const STOP_SIGNALS = [
  'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGABRT', 'SIGALRM', 'SIGWINCH',
] as const satisfies readonly NodeJS.Signals[];

type IssueInput = { input?: unknown };

/** A schema's own message, except for a missing value, which the shared error map calls "required". */
function unlessMissing(message: (iss: IssueInput) => string) {
  return (iss: IssueInput): string | undefined => (iss.input === undefined ? undefined : message(iss));
}

const DURATION_HELP = '(use 500ms, 10s, 5m, 1h or seconds)';
const invalidDuration = unlessMissing((iss) => `invalid duration ${describeValue(iss.input)} ${DURATION_HELP}`);

function duration(description: string, opts: { positive?: boolean } = {}) {
  return z
    .union(
      [
        z.number().min(0, { error: invalidDuration }),
        z.string().regex(new RegExp(DURATION_PATTERN), { error: invalidDuration }),
      ],
      { error: invalidDuration },
    )
    .refine((v) => (parseDuration(v) ?? 0) <= MAX_DURATION_MS, { error: 'too long (at most 24 days)' })
    .refine((v) => !opts.positive || (parseDuration(v) ?? 1) > 0, { error: 'must be more than 0' })
    .describe(`${description} Duration: 500ms, 10s, 5m, 1h, or a number of seconds.`);
}

function port(description: string, min: 0 | 1) {
  const range = (iss: IssueInput): string => `port ${describeValue(iss.input)} is out of range (${min}-65535)`;
  return z
    .number()
    .min(min, { error: range })
    .max(65535, { error: range })
    .int({ error: (iss) => `expected a whole port number, got ${describeValue(iss.input)}` })
    .describe(description);
}

const invalidSize = unlessMissing((iss) => `invalid size ${describeValue(iss.input)} (use bytes, or 512K, 10M, 1G)`);

function size(description: string) {
  return z
    .union([z.number().int({ error: invalidSize }).min(1, { error: invalidSize }), z.string().regex(new RegExp(SIZE_PATTERN), { error: invalidSize })], {
      error: invalidSize,
    })
    .refine((v) => (parseSize(v) ?? 0) >= 1, { error: 'must be more than 0' })
    .describe(`${description} Size: bytes, or a number with K, M or G (powers of 1024).`);
}

const nonEmpty = (what: string) => z.string().min(1, { error: `${what} must not be empty` });

const idRule = `^[a-z0-9][a-z0-9_-]{0,62}$ (lowercase letters, digits, - and _; "all" is reserved)`;
const serviceKey = z
  .string()
  .regex(new RegExp(`^(?!(?:${RESERVED_IDS.join('|')})$)${SERVICE_ID_PATTERN.source.slice(1, -1)}$`), {
    error: (iss) =>
      typeof iss.input === 'string' && RESERVED_IDS.includes(iss.input)
        ? `service id "${iss.input}" is reserved (it means every service in the API and CLI)`
        : `invalid service id ${describeValue(iss.input)}: must match ${idRule}`,
  });

export const commandSchema = z
  .union(
    [
      z.string().refine((s) => s.trim() !== '', { error: 'empty command' }),
      z
        .array(z.string())
        .min(1, { error: 'empty command' })
        .refine((a) => a.length === 0 || a[0].trim() !== '', { error: 'empty command: the first item (the program) is empty' }),
    ],
    { error: unlessMissing((iss) => `expected a command (a string, or a list of strings), got ${describeValue(iss.input)}`) },
  )
  .describe('A string runs through the platform shell; a list is executed directly (program first).');

const envValue = z.union([z.string(), z.number(), z.boolean()], {
  error: (iss) => `expected a string, number or boolean, got ${describeValue(iss.input)}`,
});
const envKey = z.string().regex(/^[^=\0]+$/, { error: (iss) => `invalid variable name ${describeValue(iss.input)}` });

export const envSchema = z
  .record(envKey, envValue)
  .describe('Environment variables; numbers and booleans become strings. ${VAR} and ${VAR:-default} expand; $$ is a literal $.');
export const envFileSchema = nonEmpty('env_file').describe(
  "File of KEY=VALUE lines, read at every start; relative to the config file's folder. env wins over it.",
);

export const DEPENDENCY_CONDITIONS = ['started', 'healthy', 'completed', 'completed_successfully'] as const;

export const dependencyOptionsSchema = z.strictObject({
  condition: z
    .enum(DEPENDENCY_CONDITIONS)
    .optional()
    .describe(
      'started (default): once it is running; healthy: once its health check passes; completed: once it ran to an end (any exit); completed_successfully: once it exited with one of its success_exit_codes.',
    ),
  restart: z.boolean().optional().describe('A restart of that dependency restarts this service too (default false).'),
});

export const dependsOnSchema = z
  .union(
    [
      z.array(nonEmpty('a service id')),
      z.record(nonEmpty('a service id'), dependencyOptionsSchema.nullable()),
    ],
    {
      error: (iss) =>
        `expected a list of service ids, or a mapping of id: {condition: started|healthy|completed|completed_successfully, restart: true|false}, got ${describeValue(iss.input)}`,
    },
  )
  .describe('Services to start first: a list of ids (condition started), or a mapping id: {condition}.');

export const healthSchema = z
  .strictObject({
    http: z
      .string()
      .refine(isHttpUrl, { error: (iss) => `invalid URL ${describeValue(iss.input)} (use e.g. http://127.0.0.1:8080/health)` })
      .optional()
      .describe('Probe: GET this http(s) URL; a 2xx answer is healthy.'),
    tcp: z
      .string()
      .refine((s) => parseHostPort(s) !== null, {
        error: (iss) => `invalid tcp target ${describeValue(iss.input)} (use "host:port", e.g. "127.0.0.1:5432")`,
      })
      .optional()
      .describe('Probe: "host:port"; healthy when a TCP connection opens.'),
    exec: commandSchema.optional().describe('Probe: run this command; exit code 0 is healthy.'),
    interval: duration('Time between probes (default 10s).', { positive: true }).optional(),
    timeout: duration('How long one probe may take (default 2s).', { positive: true }).optional(),
    retries: z
      .number()
      .int()
      .min(1, { error: 'must be at least 1' })
      .optional()
      .describe('Consecutive failures before the service counts as unhealthy (default 3).'),
    start_period: duration('Failures inside this time after start do not count (default 0).').optional(),
    start_interval: duration(
      'Probe spacing until the first success, during start_period (or the first interval when there is none); default 250ms.',
      { positive: true },
    ).optional(),
    restart_on_unhealthy: z.boolean().optional().describe('Restart the service when it turns unhealthy (default true).'),
  })
  .describe('Health check: exactly one of http, tcp or exec.');

export const readinessSchema = z
  .strictObject({
    http: healthSchema.shape.http,
    tcp: healthSchema.shape.tcp,
    exec: healthSchema.shape.exec,
    log_line: nonEmpty('log_line')
      .refine((s) => regexError(s) === null, { error: (iss) => `invalid regex ${describeValue(iss.input)}: ${regexError(String(iss.input))}` })
      .optional()
      .describe('Ready once a line of its output matches this regex.'),
    interval: duration('Time between probes (default 10s).', { positive: true }).optional(),
    timeout: duration('How long one probe may take (default 2s).', { positive: true }).optional(),
    retries: z.number().int().min(1, { error: 'must be at least 1' }).optional().describe('Failures in a row before a ready service is not ready again (default 3).'),
  })
  .describe('Readiness: exactly one of http, tcp, exec or log_line. Gates status online and dependents\' condition healthy; never restarts.');

export const RESTART_POLICIES = ['always', 'on-failure', 'never'] as const;

export const restartSchema = z
  .strictObject({
    policy: z
      .enum(RESTART_POLICIES)
      .optional()
      .describe('always | on-failure (default for daemons) | never (default for oneshots; retries drive re-runs).'),
    delay: duration('Wait before a restart; doubles per consecutive failed run (default 1s).').optional(),
    max_delay: duration('Cap for the doubling delay (default 60s).').optional(),
    min_uptime: duration('A run that lasted this long resets the doubling (default 5s).').optional(),
    max_restarts: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Automatic restarts allowed within window; one more failure and the service is failed (default 10).'),
    window: duration('The window max_restarts counts in (default 5m).', { positive: true }).optional(),
  })
  .describe('When and how fast to restart after an exit.');

export const stopSchema = z
  .strictObject({
    command: commandSchema
      .optional()
      .describe("Run first on stop (systemd's ExecStop=), with the service's env and cwd, e.g. \"nginx -s quit\"; then the signal."),
    signal: z
      .enum(STOP_SIGNALS, {
        error: (iss) => `unknown stop signal ${describeValue(iss.input)} (use one of ${STOP_SIGNALS.join(', ')})`,
      })
      .optional()
      .describe('Signal sent to the process group first (default SIGTERM).'),
    timeout: duration('Then SIGKILL to everything the service started (default 10s).').optional(),
  })
  .describe('How to stop the service.');

export const logSchema = z
  .strictObject({
    max_size: size('Rotate the log file when it reaches this size (default 10M).').optional(),
    keep: z
      .number()
      .int()
      .min(1, { error: 'must be at least 1' })
      .optional()
      .describe('Rotated files kept besides the live one (default 2).'),
    timestamps: z.boolean().optional().describe('Start each line in the log file with its ISO time (default true).'),
    file: nonEmpty('log.file')
      .optional()
      .describe("The log file (default $HYPHA_HOME/logs/ID.log); relative to the config file's folder."),
  })
  .describe('The service\'s log file.');

export const watchSchema = z
  .union(
    [
      z.boolean(),
      z.strictObject({
        paths: z
          .array(nonEmpty('a path'))
          .min(1, { error: 'must list at least one path' })
          .optional()
          .describe("Files or folders to watch (folders recursively), relative to the service's cwd (default: the cwd)."),
        ignore: z
          .array(nonEmpty('a pattern'))
          .optional()
          .describe('Glob patterns to ignore (`*.log`, `dist/**`, `tmp`); .git and node_modules are always ignored.'),
        debounce: duration('Quiet time after the last change before the one restart (default 500ms).').optional(),
      }),
    ],
    { error: (iss) => `expected true, false or a mapping {paths, ignore, debounce}, got ${describeValue(iss.input)}` },
  )
  .describe('Restart the service when files change: true (its cwd) or {paths, ignore, debounce}.');

export const serviceSchema = z
  .strictObject({
    name: nonEmpty('name').optional().describe('Display name (default: the id).'),
    type: z.enum(['daemon', 'oneshot']).optional().describe('daemon (default) keeps running; oneshot runs to completion.'),
    command: commandSchema,
    cwd: nonEmpty('cwd').optional().describe("Working folder; relative to the config file's folder (default: that folder)."),
    env: envSchema.optional(),
    env_file: envFileSchema.optional(),
    shell: nonEmpty('shell')
      .optional()
      .describe('Shell that runs a string command, as `SHELL -c "command"` (default /bin/sh; e.g. /bin/bash for $RANDOM and arrays).'),
    user: nonEmpty('user')
      .optional()
      .describe('Run as this user (name or uid), with its uid, gid and HOME; needs Hypha to run as root.'),
    port: port('The port this service serves; checked to be free before start.', 1).optional(),
    autostart: z.boolean().optional().describe('Start with the supervisor (default true).'),
    depends_on: dependsOnSchema.optional(),
    health: healthSchema.optional(),
    readiness: readinessSchema.optional(),
    restart: restartSchema.optional(),
    stop: stopSchema.optional(),
    log: logSchema.optional(),
    watch: watchSchema.optional(),
    reload: z
      .strictObject({
        command: commandSchema.describe('Run to make the service reload (systemd ExecReload=), with MAINPID in its env; 0 = reloaded.'),
        timeout: duration('How long the reload command may take (default 30s).', { positive: true }).optional(),
      })
      .optional()
      .describe('`hypha reload ID` runs reload.command beside the running service instead of restarting it.'),
    replicas: z
      .number()
      .int({ error: (iss) => `expected a whole number of copies, got ${describeValue(iss.input)}` })
      .min(1, { error: 'must be at least 1' })
      .max(100, { error: 'at most 100 copies' })
      .optional()
      .describe('Run N copies, ids ID-0 … ID-(N-1), each with HYPHA_REPLICA (and HYPHA_PORT = port + index) in its env.'),
    max_memory: size('Restart the service when its memory (the whole tree\'s RSS) stays above this for 3 samples in a row.').optional(),
    pidfile: nonEmpty('pidfile')
      .optional()
      .describe(
        "For a program that forks into the background (systemd's Type=forking + PIDFile=): the service is the pid in this file; relative to the config file's folder.",
      ),
    match: nonEmpty('match')
      .refine((s) => regexError(s) === null, { error: (iss) => `invalid regex ${describeValue(iss.input)}: ${regexError(String(iss.input))}` })
      .optional()
      .describe('Regex on command lines that finds copies of this service running outside Hypha.'),
    strays: z
      .enum(['report', 'stop'])
      .optional()
      .describe('report (default): only list copies running outside Hypha; stop: end them before starting.'),
    schedule: z
      .union([z.string(), z.number()], { error: (iss) => `expected an interval or a cron expression, got ${describeValue(iss.input)}` })
      .superRefine((v, ctx) => {
        const check = parseSchedule(v);
        if (!check.ok) ctx.addIssue({ code: 'custom', message: check.error, input: v });
      })
      .optional()
      .describe('Oneshot only: an interval (1h) or a 5-field cron expression ("*/15 * * * *").'),
    timeout: duration('Oneshot only: a run is killed (whole tree) and failed past this.', { positive: true }).optional(),
    retries: z.number().int().min(0).optional().describe('Oneshot only: failed runs retried with the restart delay doubling (default 0).'),
    success_exit_codes: z
      .array(
        z
          .number()
          .int({ error: (iss) => `expected a whole exit code (0-255), got ${describeValue(iss.input)}` })
          .min(0, { error: (iss) => `exit code ${describeValue(iss.input)} is out of range (0-255)` })
          .max(255, { error: (iss) => `exit code ${describeValue(iss.input)} is out of range (0-255)` }),
        { error: (iss) => `expected a list of exit codes, e.g. [0, 3], got ${describeValue(iss.input)}` },
      )
      .min(1, { error: 'needs at least one exit code' })
      .optional()
      .describe('Oneshot only: exit codes that count as success (default [0]).'),
  })
  .describe('One supervised service.');

export const apiSchema = z
  .strictObject({
    port: port('Control API and dashboard port on 127.0.0.1 (default 8780; 0 = any free port).', 0).optional(),
  })
  .describe('The control API.');

export const configSchema = z
  .strictObject({
    api: apiSchema.nullable().optional(),
    env: envSchema.optional().describe('Environment for every service, merged under each service\'s env. ${VAR} expands.'),
    env_file: envFileSchema.optional().describe("KEY=VALUE file for every service, read at every start, under each service's env_file."),
    services: z
      .record(serviceKey, serviceSchema)
      .nullable()
      .optional()
      .describe(`Services by id; id: ${idRule}. Kept in file order.`),
  })
  .describe('Hypha config (hypha.yaml).');

export type RawConfig = z.infer<typeof configSchema>;
export type RawService = z.infer<typeof serviceSchema>;
export type RawHealth = z.infer<typeof healthSchema>;
export type RawDependsOn = z.infer<typeof dependsOnSchema>;

function regexError(source: string): string | null {
  try {
    new RegExp(source);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(e);
  }
}

/** Keys starting with `x-` hold YAML anchors to reuse (as in docker compose); the loader drops them. */
export const EXTENSION_KEY_PATTERN = '^x-';

/** A profile's name, as in `--profile NAME` and the `env_NAME` key (profile-choice.ts, which needs no zod). */
export { PROFILE_NAME_PATTERN } from './profile-choice.js';
/**
 * An `env_<profile>` key, at the top level and in a service (env_file is the env file, not a
 * profile). The loader takes these keys out before the schema check (profiles.ts), since a zod
 * object cannot name keys by pattern; the JSON Schema lists them as pattern properties.
 */
export const PROFILE_KEY_PATTERN = '^env_(?!file$)[a-z0-9_-]+$';
export const profileEnvSchema = envSchema.describe(
  'Environment of the profile NAME (hypha daemon --profile NAME, or HYPHA_PROFILE=NAME), merged over env at the same level when that profile is active. ${VAR} expands.',
);

/** JSON Schema (draft 2020-12) for editors: hover help from the descriptions, completion, checks. */
export function configJsonSchema(): Record<string, unknown> {
  const profileJson = Object.fromEntries(
    Object.entries(z.toJSONSchema(profileEnvSchema, { target: 'draft-2020-12' })).filter(([k]) => k !== '$schema'),
  );
  const schema = z.toJSONSchema(configSchema, {
    target: 'draft-2020-12',
    override: (ctx) => {
      if (ctx.zodSchema === configSchema || ctx.zodSchema === serviceSchema) {
        ctx.jsonSchema.patternProperties = { [EXTENSION_KEY_PATTERN]: {}, [PROFILE_KEY_PATTERN]: profileJson };
      }
    },
  });
  return { $schema: schema.$schema, title: 'hypha.yaml', ...schema };
}
