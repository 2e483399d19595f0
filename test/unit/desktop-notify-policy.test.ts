import { describe, expect, it } from 'vitest';
import type { EventKind, SupervisorEvent } from '../../main/contract/status.js';
import { NotifyPolicy } from '../../main/desktop/notify-policy.js';

const ev = (id: string, kind: EventKind, message = `${kind} happened`): SupervisorEvent => ({ id, kind, message, ts: '2025-01-01T00:00:00.000Z' });
const names: Record<string, string> = { db: 'Database', web: 'Web' };
const nameOf = (id: string) => names[id] ?? id;
const opts = { perServiceMs: 60_000, maxPerWindow: 3, windowMs: 60_000 };

describe('NotifyPolicy', () => {
  it('notifies a failure, an unhealthy service and its recovery, with the display name', () => {
    const p = new NotifyPolicy(nameOf, opts);
    expect(p.decide(ev('db', 'gave-up', 'restart limit reached'), 0)).toEqual({
      id: 'db',
      kind: 'failed',
      title: 'Database failed',
      body: 'restart limit reached',
    });
    expect(p.decide(ev('web', 'unhealthy', 'became unhealthy: 503'), 1)).toMatchObject({ kind: 'unhealthy', title: 'Web is unhealthy' });
    expect(p.decide(ev('web', 'recovered', 'recovered (200)'), 2)).toMatchObject({ kind: 'recovered', title: 'Web recovered', body: 'recovered (200)' });
  });

  it('ignores routine events and whole-set events', () => {
    const p = new NotifyPolicy(nameOf, opts);
    for (const kind of ['started', 'exited', 'restarting', 'stopped', 'completed', 'reload', 'waiting'] as const) {
      expect(p.decide(ev('db', kind), 0)).toBeNull();
    }
    expect(p.decide(ev('', 'failed'), 0)).toBeNull();
  });

  it('says "recovered" only after a problem it told about', () => {
    const p = new NotifyPolicy(nameOf, opts);
    expect(p.decide(ev('db', 'recovered'), 0)).toBeNull();
    expect(p.decide(ev('db', 'healthy'), 0)).toBeNull();
    p.decide(ev('db', 'failed'), 1);
    // The first healthy probe after a failure is the recovery the person waits for.
    expect(p.decide(ev('db', 'healthy'), 2)).toMatchObject({ kind: 'recovered' });
    expect(p.decide(ev('db', 'healthy'), 3)).toBeNull();
  });

  it('tells about the same problem of the same service once per quiet period', () => {
    const p = new NotifyPolicy(nameOf, opts);
    expect(p.decide(ev('db', 'failed'), 0)).not.toBeNull();
    // gave-up and failed are the same news.
    expect(p.decide(ev('db', 'gave-up'), 10)).toBeNull();
    expect(p.decide(ev('db', 'failed'), 59_999)).toBeNull();
    // Another kind, or another service, is news.
    expect(p.decide(ev('db', 'unhealthy'), 20)).not.toBeNull();
    expect(p.decide(ev('web', 'failed'), 30)).not.toBeNull();
    expect(p.decide(ev('db', 'failed'), 60_000)).not.toBeNull();
  });

  it('a flapping service: unhealthy/recovered pairs are not repeated inside the quiet period', () => {
    const p = new NotifyPolicy(nameOf, { ...opts, maxPerWindow: 100 });
    const shown: string[] = [];
    for (let t = 0; t < 50_000; t += 5_000) {
      const a = p.decide(ev('web', 'unhealthy'), t);
      const b = p.decide(ev('web', 'recovered'), t + 2_000);
      if (a) shown.push(a.kind);
      if (b) shown.push(b.kind);
    }
    expect(shown).toEqual(['unhealthy', 'recovered']);
  });

  it('caps notices across services per window and says how many were held back', () => {
    const p = new NotifyPolicy(nameOf, opts);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const shown = ids.map((id, i) => p.decide(ev(id, 'failed'), i));
    expect(shown.filter(Boolean)).toHaveLength(3);
    expect(shown.slice(3)).toEqual([null, null]);
    // Once the window has passed, the next one goes out and mentions the two held back.
    const next = p.decide(ev('f', 'failed', 'boom'), 60_001);
    expect(next?.body).toBe('boom (+2 more not shown — open Hypha)');
    expect(p.decide(ev('g', 'failed', 'bang'), 60_002)?.body).toBe('bang');
  });

  it('does not announce the recovery of a problem it held back', () => {
    const p = new NotifyPolicy(nameOf, { ...opts, maxPerWindow: 1 });
    expect(p.decide(ev('a', 'failed'), 0)).not.toBeNull();
    expect(p.decide(ev('b', 'unhealthy'), 1)).toBeNull();
    expect(p.decide(ev('b', 'recovered'), 120_000)).toBeNull();
  });
});
