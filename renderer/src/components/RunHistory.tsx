// A oneshot's last runs (the daemon keeps 20): when each started, how long it took, how it
// ended and, for a failed run, the first line of why. Newest first, as people scan a history.
import type { OneshotRun } from '../../../main/contract/status.js';
import { formatDateTime, formatDuration } from '../format.js';

function exitText(run: OneshotRun): string {
  if (run.endedAt === null) return 'running';
  if (!run.exit) return '—';
  if (run.exit.signal) return run.exit.signal;
  return run.exit.code === null ? '—' : `code ${run.exit.code}`;
}

function duration(run: OneshotRun): string {
  if (run.endedAt === null) return '—';
  const ms = Date.parse(run.endedAt) - Date.parse(run.startedAt);
  if (Number.isNaN(ms)) return '—';
  return ms < 1000 ? `${ms} ms` : formatDuration(ms);
}

export function firstLine(text: string | null): string {
  if (!text) return '';
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}

export function RunHistory({ runs }: { runs: readonly OneshotRun[] | null }) {
  if (runs === null) return <p className="muted pad">The run history could not be loaded.</p>;
  if (runs.length === 0) return <p className="muted pad">No runs recorded yet. The supervisor keeps the last 20 runs of a oneshot.</p>;
  const newestFirst = runs.slice(-20).reverse();
  return (
    <div className="runs-wrap">
      <table className="runs" aria-label="Last runs, newest first">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
            <th scope="col">Exit</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((run, i) => {
            const failed = run.endedAt !== null && (run.error !== null || (run.exit !== null && (run.exit.code !== 0 || run.exit.signal !== null)));
            return (
              <tr key={`${run.startedAt}-${i}`} className={failed ? 'runs__row runs__row--failed' : 'runs__row'} data-run-outcome={run.endedAt === null ? 'running' : failed ? 'failed' : 'ok'}>
                <td>
                  <time dateTime={run.startedAt}>{formatDateTime(run.startedAt)}</time>
                </td>
                <td className="mono">{duration(run)}</td>
                <td className="mono">{exitText(run)}</td>
                <td className="runs__error">{firstLine(run.error) || <span className="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
