// Rules that span more than one value: exactly one probe, oneshot-only keys, the dependency
// graph, and ports used twice. They read the raw parsed YAML defensively, so they still run (and
// report) when other parts of the file are wrong.
import { findCycles, type Edge } from './dependency-cycles.js';
import { describeValue } from './describe-value.js';
import { DEFAULT_API_PORT, replicaIds } from './normalize.js';
import { parseDuration } from './duration.js';
import type { Problem } from './problem.js';
import { apiSchema, dependsOnSchema, serviceSchema } from './schema.js';
import type { Path, Position } from './yaml-positions.js';

type Where = (path: Path) => Position;

const PROBES = ['http', 'tcp', 'exec'] as const;
const ONESHOT_ONLY = ['schedule', 'timeout', 'retries', 'success_exit_codes'] as const;

export function crossChecks(raw: unknown, where: Where): Problem[] {
  const root = asRecord(raw);
  if (!root) return [];
  const services = asRecord(root.services) ?? {};
  const problems: Problem[] = [];
  const edges: Edge[] = [];
  for (const [id, value] of Object.entries(services)) {
    const svc = asRecord(value);
    if (!svc) continue;
    const at: Path = ['services', id];
    problems.push(...checkHealth(svc, at), ...checkOneshotKeys(svc, at), ...checkPidfile(svc, at), ...checkRestartDelays(svc, at), ...checkReplicas(id, svc, services, at), ...checkReadiness(svc, at));
    const deps = checkDependencies(id, svc, services, at);
    problems.push(...deps.problems);
    edges.push(...deps.edges);
  }
  const idsInFileOrder = Object.keys(services)
    .map((id) => ({ id, pos: where(['services', id]) }))
    .sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col)
    .map((e) => e.id);
  problems.push(...findCycles(idsInFileOrder, edges), ...checkPorts(root, services, where));
  return problems;
}

function checkReadiness(svc: Record<string, unknown>, at: Path): Problem[] {
  const r = asRecord(svc.readiness);
  if (!r) return [];
  const kinds = [...PROBES, 'log_line'].filter((k) => r[k] !== undefined);
  if (kinds.length === 1) return [];
  if (kinds.length === 0) return [{ path: [...at, 'readiness'], target: 'key', message: 'needs exactly one of http, tcp, exec or log_line' }];
  return [{ path: [...at, 'readiness', kinds[1] as string], target: 'key', message: `use only one of http, tcp, exec or log_line (found ${kinds.join(' and ')})` }];
}

function checkHealth(svc: Record<string, unknown>, at: Path): Problem[] {
  const health = asRecord(svc.health);
  if (!health) return [];
  const probes = PROBES.filter((k) => health[k] !== undefined);
  if (probes.length === 1) return [];
  if (probes.length === 0) {
    return [{ path: [...at, 'health'], target: 'key', message: 'needs exactly one of http, tcp or exec' }];
  }
  return [{
    path: [...at, 'health', probes[1]],
    target: 'key',
    message: `use only one of http, tcp or exec (found ${probes.join(' and ')})`,
  }];
}

function checkOneshotKeys(svc: Record<string, unknown>, at: Path): Problem[] {
  if (svc.type !== undefined && svc.type !== 'daemon') return [];
  return ONESHOT_ONLY.filter((k) => svc[k] !== undefined).map((k) => ({
    path: [...at, k],
    target: 'key' as const,
    message: 'only allowed for type: oneshot',
  }));
}

/** `replicas: N` makes ids ID-0 … ID-(N-1): each must be a free, valid id, and port + N - 1 a port. */
function checkReplicas(id: string, svc: Record<string, unknown>, services: Record<string, unknown>, at: Path): Problem[] {
  const n = replicaCount(svc);
  if (n < 2) return [];
  const path: Path = [...at, 'replicas'];
  for (const rid of replicaIds(id, n)) {
    if (Object.hasOwn(services, rid)) return [{ path, target: 'value', message: `copy id ${describeValue(rid)} is already a service's id` }];
    if (rid.length > 63) return [{ path, target: 'value', message: `copy id ${describeValue(rid)} is longer than 63 characters` }];
  }
  const port = serviceSchema.shape.port.safeParse(svc.port);
  if (port.success && port.data !== undefined && port.data + n - 1 > 65535) {
    return [{ path, target: 'value', message: `${n} copies from port ${port.data} go past 65535` }];
  }
  return [];
}

function replicaCount(svc: Record<string, unknown> | null): number {
  const r = serviceSchema.shape.replicas.safeParse(svc?.replicas);
  return r.success && r.data !== undefined ? r.data : 1;
}

/** A oneshot runs to completion in the foreground: a pidfile (a program that forks away) makes no sense. */
function checkPidfile(svc: Record<string, unknown>, at: Path): Problem[] {
  if (svc.pidfile === undefined || svc.type !== 'oneshot') return [];
  return [{ path: [...at, 'pidfile'], target: 'key', message: 'only allowed for type: daemon (a oneshot runs in the foreground)' }];
}

function checkRestartDelays(svc: Record<string, unknown>, at: Path): Problem[] {
  const restart = asRecord(svc.restart);
  if (!restart || restart.max_delay === undefined || restart.delay === undefined) return [];
  const delay = parseDuration(restart.delay);
  const maxDelay = parseDuration(restart.max_delay);
  if (delay === null || maxDelay === null || maxDelay >= delay) return [];
  return [{ path: [...at, 'restart', 'max_delay'], target: 'value', message: 'must not be shorter than restart.delay' }];
}

function checkDependencies(
  id: string,
  svc: Record<string, unknown>,
  services: Record<string, unknown>,
  at: Path,
): { problems: Problem[]; edges: Edge[] } {
  const parsed = dependsOnSchema.safeParse(svc.depends_on);
  if (!parsed.success || parsed.data === undefined) return { problems: [], edges: [] };
  const entries: { to: string; condition: string; path: Path }[] = Array.isArray(parsed.data)
    ? parsed.data.map((to, i) => ({ to, condition: 'started', path: [...at, 'depends_on', i] }))
    : Object.entries(parsed.data).map(([to, opts]) => ({
        to,
        condition: opts?.condition ?? 'started',
        path: [...at, 'depends_on', to],
      }));
  const problems: Problem[] = [];
  const edges: Edge[] = [];
  // A list entry is a value, a mapping entry is a key: point at what the user typed either way.
  const target = Array.isArray(parsed.data) ? ('value' as const) : ('key' as const);
  for (const e of entries) {
    if (e.to === id) {
      problems.push({ path: e.path, target, message: 'a service cannot depend on itself' });
    } else if (!Object.hasOwn(services, e.to)) {
      problems.push({ path: e.path, target, message: `unknown service ${describeValue(e.to)}` });
    } else {
      edges.push({ from: id, to: e.to, path: e.path });
      const dep = asRecord(services[e.to]);
      if (e.condition === 'healthy' && asRecord(dep?.health) === null && asRecord(dep?.readiness) === null) {
        problems.push({
          path: e.path,
          target,
          message: `condition healthy needs a health or readiness check on ${describeValue(e.to)}, which has neither`,
        });
      }
    }
  }
  return { problems, edges };
}

/** Each port may be used once, the API's included; the later use in the file is the error. */
function checkPorts(root: Record<string, unknown>, services: Record<string, unknown>, where: Where): Problem[] {
  interface Use { port: number; path: Path; owner: string; pos: Position }
  const uses: Use[] = [];
  const api = asRecord(root.api);
  const apiPort = apiSchema.shape.port.safeParse(api?.port);
  const apiWritten = apiPort.success && apiPort.data !== undefined;
  const effectiveApiPort = apiWritten ? apiPort.data : DEFAULT_API_PORT;
  for (const [id, value] of Object.entries(services)) {
    const port = serviceSchema.shape.port.safeParse(asRecord(value)?.port);
    if (!port.success || port.data === undefined) continue;
    const path: Path = ['services', id, 'port'];
    const copies = replicaCount(asRecord(value));
    for (let i = 0; i < copies; i++) {
      const owner = copies > 1 ? `services.${id} (copy ${i})` : `services.${id}`;
      if (port.data + i <= 65535) uses.push({ port: port.data + i, path, owner, pos: where(path) });
    }
  }
  uses.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
  const problems: Problem[] = [];
  const firstUse = new Map<number, Use>();
  if (effectiveApiPort !== 0 && effectiveApiPort !== undefined) {
    const path: Path = ['api', 'port'];
    const apiUse: Use = { port: effectiveApiPort, path, owner: 'api', pos: where(path) };
    const clash = uses.find((u) => u.port === effectiveApiPort);
    if (clash && apiWritten && before(clash.pos, apiUse.pos)) {
      problems.push({ path, target: 'value', message: `port ${effectiveApiPort} is already used by ${clash.owner}` });
      firstUse.set(effectiveApiPort, clash);
    } else {
      firstUse.set(effectiveApiPort, apiUse);
    }
  }
  for (const use of uses) {
    const first = firstUse.get(use.port);
    if (!first) {
      firstUse.set(use.port, use);
      continue;
    }
    if (first === use) continue;
    const owner = first.owner === 'api' ? `the api (api.port${apiWritten ? '' : ' default'})` : first.owner;
    problems.push({ path: use.path, target: 'value', message: `port ${use.port} is already used by ${owner}` });
  }
  return problems;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.col < b.col);
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
