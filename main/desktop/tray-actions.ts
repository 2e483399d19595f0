// What each tray menu action does, as calls on injected parts (no electron import), so the
// mapping from menu to supervisor is tested against a real supervisor under plain Node.
import type { SupervisorControl } from '../contract/control.js';
import type { RemotesControl } from '../contract/remotes.js';
import type { TrayAction } from './tray-menu.js';

export interface TrayActionDeps {
  supervisor: Pick<SupervisorControl, 'act' | 'stopStrays'>;
  /** Other Hyphas; their actions go through the local daemon, which holds their tokens. */
  remotes?: Pick<RemotesControl, 'act'>;
  /** `route` is the renderer's hash route without the '#'. */
  showWindow(route?: string): void;
  toggleLoginItem(): Promise<void>;
  toggleNotifications(): Promise<void>;
  quit(): void;
}

/** The renderer's route for one service (renderer/src/hooks/useRoute.ts reads `#/service/<id>`). */
export function serviceRoute(id: string): string {
  return `/service/${encodeURIComponent(id)}`;
}

/** The renderer opens its "Add a Hypha" form on this route (renderer/src/components/Remotes.tsx). */
export const ADD_REMOTE_ROUTE = '/add-remote';

/** Rejects with an Error whose message says what failed, for the person who clicked. */
export async function runTrayAction(action: TrayAction, deps: TrayActionDeps): Promise<void> {
  switch (action.kind) {
    case 'service':
      await deps.supervisor.act(action.action, action.id);
      return;
    case 'all':
      await deps.supervisor.act(action.action, 'all');
      return;
    case 'remote':
      if (!deps.remotes) throw new Error('this app keeps no remotes');
      await deps.remotes.act(action.remote, action.action, action.id);
      return;
    case 'show-logs':
      deps.showWindow(serviceRoute(action.id));
      return;
    case 'stop-strays': {
      const results = await Promise.allSettled(action.ids.map((id) => deps.supervisor.stopStrays(id)));
      const failures = results.flatMap((r, i) =>
        r.status === 'rejected' ? [`${action.ids[i]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`] : [],
      );
      if (failures.length > 0) throw new Error(`could not stop strays — ${failures.join('; ')}`);
      return;
    }
    case 'open-window':
      deps.showWindow();
      return;
    case 'add-remote':
      deps.showWindow(ADD_REMOTE_ROUTE);
      return;
    case 'toggle-login-item':
      await deps.toggleLoginItem();
      return;
    case 'toggle-notifications':
      await deps.toggleNotifications();
      return;
    case 'quit':
      deps.quit();
      return;
  }
}

/** How a failed action reads in a notification: "Could not restart db: …". */
export function describeFailure(action: TrayAction, error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  switch (action.kind) {
    case 'service':
      return `Could not ${action.action === 'run' ? 'run' : action.action} ${action.id}: ${why}`;
    case 'all':
      return `Could not ${action.action} all services: ${why}`;
    case 'remote':
      return `Could not ${action.action} ${action.id} on ${action.remote}: ${why}`;
    default:
      return why;
  }
}
