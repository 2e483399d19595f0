// The numbers of one service: shared by its overview row and its detail page.
import type { ReactNode, RefObject } from 'react';
import type { ServiceStatus } from '../../../main/contract/status.js';
import { formatBytes, formatCpu } from '../format.js';
import { useHyphaWhileVisible } from '../hooks/useInView.js';
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
  /** From the overview row: while it is off screen, sparklines and uptime hold still. */
  visible?: RefObject<boolean>;
  /** The overview row says it beside the name instead. */
  showNextRun?: boolean;
}

export function ServiceFacts({ status, receivedAt, visible, showNextRun = true }: ServiceFactsProps) {
  const history = useHyphaWhileVisible(visible, (s) => s.history[status.id]);
  const running = status.pid !== null;
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
        <Uptime uptimeMs={status.uptimeMs} receivedAt={receivedAt} visible={visible} />
      </Fact>
      <Fact label="Restarts" className={`fact--restarts ${status.restarts > 0 ? 'fact--warn' : ''}`}>
        {status.restarts}
      </Fact>
      <Fact label="CPU" className="fact--cpu">
        <span className="metric">
          <span className="metric__value">{running && status.cpu !== null ? formatCpu(status.cpu) : '—'}</span>
          {running && <Sparkline values={history?.cpu ?? []} scale="zero" floor={5} />}
        </span>
      </Fact>
      <Fact label="Memory" className="fact--mem">
        <span className="metric">
          <span className="metric__value">{running && status.memoryBytes !== null ? formatBytes(status.memoryBytes) : '—'}</span>
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
