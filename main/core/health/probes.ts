// The three probe forms of SPEC §6: http (undici, one pooled client for all probes), tcp and exec.
// A probe answers with a result value; it never throws.
import net from 'node:net';
import { Agent, request } from 'undici';
import { execa } from 'execa';
import type { HealthProbe } from '../config/types.js';

export interface ProbeResult {
  ok: boolean;
  /** The HTTP status, for http probes that got an answer. */
  statusCode: number | null;
  /** Why it failed, in words: "HTTP 503", "connection refused", "timed out after 2s". */
  detail: string;
}

// One keep-alive pool for every probe of every service; redirects are not followed.
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 4, pipelining: 1 });

function describeError(err: unknown, timeoutMs: number): string {
  const e = err as { code?: string; name?: string; message?: string };
  if (e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT' || e.code === 'ETIMEDOUT' || e.name === 'TimeoutError') {
    return `timed out after ${timeoutMs}ms`;
  }
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ECONNRESET' || e.code === 'UND_ERR_SOCKET') return 'connection reset';
  return e.message ?? String(err);
}

export async function probeHttp(url: string, timeoutMs: number): Promise<ProbeResult> {
  try {
    const res = await request(url, {
      method: 'GET',
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      headers: { 'user-agent': 'hypha-health' },
    });
    // The body is not read for meaning, but it must be consumed for the socket to be reused.
    await res.body.dump();
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return { ok, statusCode: res.statusCode, detail: `HTTP ${res.statusCode}` };
  } catch (err) {
    return { ok: false, statusCode: null, detail: describeError(err, timeoutMs) };
  }
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
  const child = typeof command === 'string' ? execa(command, { ...opts, shell: true }) : execa(command[0] as string, command.slice(1), opts);
  const pid = child.pid;
  const result = await child;
  if (result.timedOut && pid && process.platform !== 'win32') {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }
  if (result.timedOut) return { ok: false, statusCode: null, detail: `timed out after ${timeoutMs}ms` };
  if (result.exitCode === 0) return { ok: true, statusCode: null, detail: 'exit 0' };
  const last = String(result.stderr || result.stdout || '').trim().split('\n').pop() ?? '';
  return { ok: false, statusCode: null, detail: `exit ${result.exitCode ?? result.signal}${last ? `: ${last.slice(0, 200)}` : ''}` };
}

export function runProbe(probe: HealthProbe, timeoutMs: number, cwd: string, env: NodeJS.ProcessEnv): Promise<ProbeResult> {
  switch (probe.kind) {
    case 'http':
      return probeHttp(probe.url, timeoutMs);
    case 'tcp':
      return probeTcp(probe.host, probe.port, timeoutMs);
    case 'exec':
      return probeExec(probe.command, cwd, env, timeoutMs);
  }
}

export function closeProbeAgent(): Promise<void> {
  return agent.close();
}
