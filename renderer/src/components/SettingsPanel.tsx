// The service as configured, read-only. Environment values are not shown: they often hold secrets.
import type { ReactNode } from 'react';
import type { Command, HealthConfig, ServiceConfig } from '../../../main/contract/config.js';
import { formatDuration } from '../format.js';

function commandText(command: Command): string {
  return typeof command === 'string' ? command : command.map((a) => (/[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

function ms(value: number): string {
  return value < 1000 ? `${value}ms` : formatDuration(value);
}

function formatBytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 1 ? `${Math.round(mb * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

function probeText(health: HealthConfig): string {
  const p = health.probe;
  const target = p.kind === 'http' ? p.url : p.kind === 'tcp' ? `${p.host}:${p.port}` : commandText(p.command);
  return `${p.kind} ${target}`;
}

function Row({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div className="setting">
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** `profile`: the supervisor's active environment profile (its env_<profile> is already in env). */
export function SettingsPanel({ settings, profile = null }: { settings: ServiceConfig; profile?: string | null }) {
  const s = settings;
  const envKeys = Object.keys(s.env);
  return (
    <dl className="settings">
      <Row name="Command">
        <code className="mono wrap">{commandText(s.command)}</code>
        <span className="muted"> ({typeof s.command === 'string' ? `run by ${s.shell ?? 'the shell'}` : 'run directly'})</span>
      </Row>
      {s.user !== null && <Row name="User">{s.user}</Row>}
      <Row name="Working folder">
        <code className="mono wrap">{s.cwd}</code>
      </Row>
      <Row name="Type">{s.type}</Row>
      <Row name="Autostart">{s.autostart ? 'yes' : 'no'}</Row>
      <Row name="Port">{s.port ?? '—'}</Row>
      {s.replica !== null && (
        <Row name="Replica">
          copy {s.replica.index} of {s.replica.count} of <code className="mono">{s.replica.of}</code>
          <span className="muted"> (HYPHA_REPLICA={s.replica.index})</span>
        </Row>
      )}
      <Row name="Health probe">
        {s.health ? (
          <>
            <code className="mono wrap">{probeText(s.health)}</code>
            <div className="muted">
              every {ms(s.health.intervalMs)}, timeout {ms(s.health.timeoutMs)}, unhealthy after {s.health.retries} failures
              {s.health.startPeriodMs > 0 && `, grace ${ms(s.health.startPeriodMs)}`}
              {s.health.restartOnUnhealthy ? ', restarts when unhealthy' : ''}
            </div>
          </>
        ) : (
          'none'
        )}
      </Row>
      {s.readiness !== null && (
        <Row name="Readiness">
          {s.readiness.kind === 'log' ? (
            <>
              output line matching <code className="mono wrap">{s.readiness.pattern}</code>
            </>
          ) : (
            <>
              <code className="mono wrap">{probeText({ ...s.readiness, startPeriodMs: 0, startIntervalMs: 0, restartOnUnhealthy: false })}</code>
              <div className="muted">
                every {ms(s.readiness.intervalMs)}, timeout {ms(s.readiness.timeoutMs)}; not ready again after {s.readiness.retries} failures
              </div>
            </>
          )}
          <div className="muted">gates online and dependents' condition healthy; never restarts</div>
        </Row>
      )}
      <Row name="Restart policy">
        {s.restart.policy}
        <div className="muted">
          delay {ms(s.restart.delayMs)} doubling up to {ms(s.restart.maxDelayMs)}; at most {s.restart.maxRestarts} restarts in{' '}
          {ms(s.restart.windowMs)}; a run of {ms(s.restart.minUptimeMs)} resets the delay
        </div>
      </Row>
      {s.reload !== null && (
        <Row name="Reload">
          <code className="mono wrap">{commandText(s.reload.command)}</code>
          <span className="muted"> (hypha reload {s.id}; MAINPID set; timeout {ms(s.reload.timeoutMs)})</span>
        </Row>
      )}
      <Row name="Stop">
        {s.stop.signal}, then SIGKILL after {ms(s.stop.timeoutMs)}
      </Row>
      <Row name="Depends on">
        {s.dependsOn.length === 0
          ? '—'
          : s.dependsOn.map((d, i) => (
              <span key={d.id}>
                {i > 0 && ', '}
                <a href={`#/service/${encodeURIComponent(d.id)}`}>{d.id}</a> <span className="muted">({d.condition})</span>
              </span>
            ))}
      </Row>
      <Row name="Environment">
        {envKeys.length === 0 ? '—' : <span className="mono wrap">{envKeys.join(', ')}</span>}
        {profile !== null && (
          <div className="muted">
            profile <code className="mono">{profile}</code> (env_{profile} merged over env)
          </div>
        )}
        {[s.globalEnvFile, s.envFile].filter((f): f is string => f !== null).map((f) => (
          <div className="muted" key={f}>
            plus <code className="mono">{f}</code>
          </div>
        ))}
      </Row>
      {s.maxMemoryBytes !== null && (
        <Row name="Memory limit">
          {formatBytes(s.maxMemoryBytes)} <span className="muted">(restarted after 3 samples above it)</span>
        </Row>
      )}
      {s.watch !== null && (
        <Row name="Watch">
          <span className="mono wrap">{s.watch.paths.join(', ')}</span>
          <div className="muted">
            restarts {ms(s.watch.debounceMs)} after the last change
            {s.watch.ignore.length > 0 && <>; ignores {s.watch.ignore.join(', ')}</>}
          </div>
        </Row>
      )}
      <Row name="Log">
        {s.log.file ? <code className="mono wrap">{s.log.file}</code> : 'in Hypha\'s logs folder'}
        <div className="muted">
          rotated at {formatBytes(s.log.maxSizeBytes)}, {s.log.keep} old file{s.log.keep === 1 ? '' : 's'} kept,{' '}
          {s.log.timestamps ? 'with' : 'without'} timestamps
        </div>
      </Row>
      <Row name="Strays">
        {s.match ? (
          <>
            match <code className="mono">{s.match}</code>;{' '}
          </>
        ) : null}
        {s.strays === 'stop' ? 'stopped before each start' : 'reported only'}
      </Row>
      {s.type === 'oneshot' && (
        <>
          <Row name="Schedule">{s.schedule ?? 'on demand'}</Row>
          <Row name="Timeout">{s.timeoutMs === null ? '—' : ms(s.timeoutMs)}</Row>
          <Row name="Retries">{s.retries}</Row>
        </>
      )}
    </dl>
  );
}
