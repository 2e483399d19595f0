// The status window loads renderer/dist/index.html from file://, where there are no response
// headers, so its Content-Security-Policy is the page's meta tag and nothing else (Electron's
// onHeadersReceived never sees file:// loads; the app no longer pretends to send a header). This
// reads the built page and the built main file: one policy, placed before anything it governs,
// strict where it matters (no inline or eval'd script, no plugins), and no second policy in main.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PAGE = path.join(ROOT, 'renderer', 'dist', 'index.html');
const MAIN = path.join(ROOT, 'dist', 'app', 'main.cjs');

function policies(html: string): string[] {
  return [...html.matchAll(/<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(["'])(.*?)\1\s*\/?>/gi)].map((m) => m[2] as string);
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map((parts) => [(parts[0] as string).toLowerCase(), parts.slice(1)]),
  );
}

describe('the window’s Content-Security-Policy', () => {
  it('the built page carries exactly one CSP meta tag, before every script and stylesheet', () => {
    expect(existsSync(PAGE), 'run npm run build').toBe(true);
    const html = readFileSync(PAGE, 'utf8');
    expect(policies(html)).toHaveLength(1);
    const meta = html.search(/<meta\s+http-equiv=["']Content-Security-Policy/i);
    for (const later of [/<script\b/i, /<link\b[^>]*rel=["']stylesheet/i]) {
      const at = html.search(later);
      if (at >= 0) expect(meta).toBeLessThan(at);
    }
  });

  it('allows only the app’s own files: no inline or eval’d script, no plugins, no other origins', () => {
    const d = directives(policies(readFileSync(PAGE, 'utf8'))[0] ?? '');
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    for (const [name, sources] of d) {
      expect(sources, name).not.toContain("'unsafe-eval'");
      expect(sources.some((s) => s === '*' || /^https?:/.test(s)), `${name} allows another origin`).toBe(false);
    }
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
    // object-src falls back to default-src 'self': nothing but the app's own files either way.
    expect(d.get('object-src') ?? d.get('default-src')).not.toContain('*');
  });

  it('the page runs no inline script (the policy would block it)', () => {
    const html = readFileSync(PAGE, 'utf8');
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter((m) => !/\bsrc=/.test(m[1] ?? '') || (m[2] ?? '').trim() !== '');
    expect(inline).toEqual([]);
  });

  it('the main process sets no second policy for the window (headers never reach a file:// page)', () => {
    expect(existsSync(MAIN), 'run npm run build').toBe(true);
    const main = readFileSync(MAIN, 'utf8');
    expect(main).not.toContain('onHeadersReceived');
    // The only CSP in main is the HTTP header of the daemon's dashboard (main/api), lower-case.
    expect(main).not.toContain('Content-Security-Policy');
  });
});
