// The three probe forms of SPEC §6: http (one keep-alive pool for all probes), tcp and exec.
// A probe answers with a result value; it never throws. An exec probe is contained like a run: its
// own process group, and its own cgroup where Hypha can make one, and whatever it leaves behind
// (`(sleep 100000 &); exit 0`, even a setsid escape inside a cgroup) is ended when it answers.
import net from 'node:net';
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import type { HealthProbe } from '../../contract/config.js';
import { createRunCgroup, isPopulated, joiningArgv, killCgroup, removeCgroup } from '../process/cgroup.js';

export interface ProbeResult {
  ok: boolean;
  /** The HTTP status, for http probes that got an answer. */
  statusCode: number | null;
  /** Why it failed, in words: "HTTP 503", "connection refused", "timed out after 2s". */
  detail: string;
}

// One keep-alive pool for every probe of every service (node:http: the API server already loads
// it, where undici would cost the daemon ~20 MB of RSS). Redirects are not followed.
const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 30_000, maxSockets: 4, maxFreeSockets: 2, timeout: 30_000 });

function describeError(err: unknown, timeoutMs: number): string {
  const e = err as { code?: string; name?: string; message?: string };
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || e.code === 'ABORT_ERR') return `timed out after ${timeoutMs}ms`;
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return 'connection reset';
  return e.message ?? String(err);
}

/** Probe URLs parsed once each (a few hundred at most: one per configured service). */
const urls = new Map<string, URL>();
function parsedUrl(url: string): URL {
  let u = urls.get(url);
  if (!u) {
    u = new URL(url);
    if (urls.size >= 1000) urls.clear();
    urls.set(url, u);
  }
  return u;
}

export function probeHttp(url: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    let req: http.ClientRequest;
    try {
      const target = parsedUrl(url);
      const mod = target.protocol === 'https:' ? https : http;
      req = mod.request(target, { method: 'GET', agent: target.protocol === 'https:' ? undefined : agent, headers: { 'user-agent': 'hypha-health' } }, (res) => {
        const code = res.statusCode ?? 0;
        // The body is not read for meaning, but it must be consumed for the socket to be reused.
        res.resume();
        res.on('end', () => done({ ok: code >= 200 && code < 300, statusCode: code, detail: `HTTP ${code}` }));
        res.on('error', (err) => done({ ok: false, statusCode: code, detail: describeError(err, timeoutMs) }));
      });
    } catch (err) {
      done({ ok: false, statusCode: null, detail: describeError(err, timeoutMs) });
      return;
    }
    const timer = setTimeout(() => {
      done({ ok: false, statusCode: null, detail: `timed out after ${timeoutMs}ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => done({ ok: false, statusCode: null, detail: describeError(err, timeoutMs) }));
    req.end();
  });
}

export function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean, detail: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, statusCode: null, detail });
    };
    const timer = setTimeout(() => done(false, `timed out after ${timeoutMs}ms`), timeoutMs);
    socket.once('connect', () => done(true, `tcp ${host}:${port} open`));
    socket.once('error', (err) => done(false, describeError(err, timeoutMs)));
  });
}

export async function probeExec(command: string | string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ProbeResult> {
  const opts = {
    cwd,
    env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore' as const,
    timeout: timeoutMs,
    // Its own group, so a timeout ends the probe's whole tree, not just the shell.
    detached: process.platform !== 'win32',
    forceKillAfterDelay: 200,
    killSignal: 'SIGKILL' as const,
  };
  // Loaded on first use: most setups have no exec probe, and execa costs RSS.
  const { execa } = await import('execa');
  const cgroup = process.platform === 'win32' ? null : createRunCgroup(env.HYPHA_HOME ?? null, `probe.${crypto.randomBytes(6).toString('base64url')}`);
  let file = typeof command === 'string' ? command : (command[0] as string);
  let args = typeof command === 'string' ? [] : command.slice(1);
  let shell = typeof command === 'string';
  if (cgroup) {
    ({ file, args } = shell ? joiningArgv(cgroup, '/bin/sh', ['-c', file]) : joiningArgv(cgroup, file, args));
    shell = false;
  }
  const child = shell ? execa(file, { ...opts, shell: true }) : execa(file, args, opts);
  const pid = child.pid;
  // Once the probe's own process has answered, what it started and left running goes (its group,
  // its cgroup): at its exit, not when its output closes, which a background child may hold open.
  const endLeftovers = (): void => {
    if (pid && process.platform !== 'win32') {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    }
    if (cgroup) void endProbeCgroup(cgroup);
  };
  child.once('exit', endLeftovers);
  const result = await child;
  endLeftovers();
  if (result.timedOut) return { ok: false, statusCode: null, detail: `timed out after ${timeoutMs}ms` };
  if (result.exitCode === 0) return { ok: true, statusCode: null, detail: 'exit 0' };
  const last = String(result.stderr || result.stdout || '').trim().split('\n').pop() ?? '';
  return { ok: false, statusCode: null, detail: `exit ${result.exitCode ?? result.signal}${last ? `: ${last.slice(0, 200)}` : ''}` };
}

async function endProbeCgroup(dir: string): Promise<void> {
  for (let i = 0; i < 60 && isPopulated(dir); i++) {
    killCgroup(dir);
    await new Promise((r) => setTimeout(r, 50));
  }
  removeCgroup(dir);
}

/** `env` is asked for only by exec probes, so HTTP and TCP probes copy no environment. */
export function runProbe(probe: HealthProbe, timeoutMs: number, cwd: string, env: () => NodeJS.ProcessEnv): Promise<ProbeResult> {
  switch (probe.kind) {
    case 'http':
      return probeHttp(probe.url, timeoutMs);
    case 'tcp':
      return probeTcp(probe.host, probe.port, timeoutMs);
    case 'exec':
      return probeExec(probe.command, cwd, env(), timeoutMs);
  }
}

export function closeProbeAgent(): void {
  agent.destroy();
}
