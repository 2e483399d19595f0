// The outcome of an action that needs a person's attention: why it failed, or what it did.
import { useActions, useHypha } from '../store/context.js';

export function NoticeLine({ id }: { id: string }) {
  const notice = useHypha((s) => s.notices[id]);
  const { dismiss } = useActions();
  if (!notice) return null;
  return (
    <div className={`notice notice--${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <span className="notice__text">{notice.text}</span>
      <button type="button" className="btn btn--ghost btn--small" aria-label="Dismiss message" onClick={() => dismiss(id)}>
        ×
      </button>
    </div>
  );
}
