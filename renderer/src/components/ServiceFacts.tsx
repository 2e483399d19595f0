// The numbers of one service: shared by its overview row and its detail page.
import type { ReactNode } from 'react';
import type { ServiceStatus } from '../../../main/contract/status.js';
import { formatBytes, formatCpu, measured } from '../format.js';
import { useHypha } from '../store/context.js';
import { NextRun } from './NextRun.js';
import { Sparkline } from './Sparkline.js';
import { Uptime } from './Uptime.js';

function Fact({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={`fact ${className ?? ''}`}>
      <dt className="fact__label">{label}</dt>
      <dd className="fact__value">{children}</dd>
    </div>
  );
}

export function healthText(s: Pick<ServiceStatus, 'health' | 'statusCode'>): string {
  if (s.health === 'none') return s.statusCode === null ? '—' : `HTTP ${s.statusCode}`;
  return s.statusCode === null ? s.health : `${s.health} · HTTP ${s.statusCode}`;
}

export interface ServiceFactsProps {
  status: ServiceStatus;
  receivedAt: number;
  /** The overview row says it beside the name instead. */
  showNextRun?: boolean;
}

export function ServiceFacts({ status, receivedAt, showNextRun = true }: ServiceFactsProps) {
  const history = useHypha((s) => s.history[status.id]);
  // A run that is still starting has no measurement yet: say "—", never "0 B".
  const cpu = measured(status, status.cpu) ? status.cpu : null;
  const memory = measured(status, status.memoryBytes) && status.memoryBytes > 0 ? status.memoryBytes : null;
  const running = status.state === 'running' && status.pid !== null;
  return (
    <dl className="facts">
      <Fact label="Health" className={`fact--health health--${status.health}`}>
        {healthText(status)}
      </Fact>
      <Fact label="PID" className="fact--pid">
        {status.pid === null ? '—' : <span className="mono">{status.pid}</span>}
      </Fact>
      <Fact label="Port" className="fact--port">
        {status.port === null ? '—' : <span className="mono">{status.port}</span>}
      </Fact>
      <Fact label="Uptime" className="fact--uptime">
        <Uptime uptimeMs={status.uptimeMs} receivedAt={receivedAt} />
      </Fact>
      <Fact label="Restarts" className={`fact--restarts ${status.restarts > 0 ? 'fact--warn' : ''}`}>
        {status.restarts}
      </Fact>
      <Fact label="CPU" className="fact--cpu">
        <span className="metric">
          <span className="metric__value">{cpu === null ? '—' : formatCpu(cpu)}</span>
          {running && <Sparkline values={history?.cpu ?? []} scale="zero" floor={5} />}
        </span>
      </Fact>
      <Fact label="Memory" className="fact--mem">
        <span className="metric">
          <span className="metric__value">{memory === null ? '—' : formatBytes(memory)}</span>
          {running && <Sparkline values={history?.memory ?? []} scale="range" />}
        </span>
      </Fact>
      {showNextRun && status.type === 'oneshot' && status.nextRunAt && (
        <Fact label="Schedule" className="fact--next">
          <NextRun at={status.nextRunAt} />
        </Fact>
      )}
    </dl>
  );
}
