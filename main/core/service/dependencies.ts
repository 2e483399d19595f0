// When may a service start, given its `depends_on` (SPEC §1, §7)? Pure questions about the
// dependencies' present state, shared by the supervisor and the virtual-time tests. A dependency
// that ended for good (failed, or exited and will not restart) ends the wait with a reason a
// person can act on, instead of a wait that would last forever.
import type { Dependency, ServiceConfig } from '../../contract/config.js';
import type { Health, State } from '../../contract/status.js';

/** What these rules read of a dependency. */
export interface DependencyFacts {
  state: State;
  health: Health;
  lastError: string | null;
  /** How its last run ended when it will not be restarted; null otherwise. */
  endedForGood: string | null;
  /** Its last run ran and exited (rather than failing to start). */
  ranToEnd: boolean;
  /** false while its `readiness` probe has not passed in this run (absent or true: ready). */
  ready?: boolean;
}

export type DependencyVerdict = { waiting: string; failed: boolean } | null;

/** Whether dependency `d` satisfies `condition` now. */
export function dependencyHolds(condition: Dependency['condition'], d: DependencyFacts): boolean {
  switch (condition) {
    case 'completed_successfully':
      return d.state === 'completed';
    case 'completed':
      // Any exit of a run that ended for good: success, or failure after its last retry.
      return d.state === 'completed' || (d.state === 'failed' && d.ranToEnd);
    case 'healthy':
      return d.state === 'running' && (d.health === 'healthy' || d.health === 'none') && d.ready !== false;
    case 'started':
      return d.state === 'running' || d.state === 'completed';
  }
}

/** null when every condition holds, else why the service waits; `failed` means it never will. */
export function dependencyWait(config: Pick<ServiceConfig, 'dependsOn'>, lookup: (id: string) => DependencyFacts | undefined): DependencyVerdict {
  for (const dep of config.dependsOn) {
    const d = lookup(dep.id);
    if (!d) return { waiting: `dependency ${dep.id} is not configured`, failed: true };
    if (dependencyHolds(dep.condition, d)) continue;
    if (d.state === 'failed') return { waiting: `dependency ${dep.id} failed${d.lastError ? ` (${d.lastError})` : ''}`, failed: true };
    if (d.endedForGood) return { waiting: `dependency ${dep.id} stopped (${d.endedForGood})`, failed: true };
    if (d.state === 'completed') return { waiting: `dependency ${dep.id} completed and runs again only when started`, failed: true };
    return { waiting: `waiting for ${dep.id} (${dep.condition})`, failed: false };
  }
  return null;
}
