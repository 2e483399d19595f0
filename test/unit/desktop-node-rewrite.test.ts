// SPEC §6: a command whose first word is `node` runs with the Node that runs Hypha (Electron's
// own, as Node, in the packaged app) only where no `node` is on the service's PATH. Proven on the
// decision with fake PATHs, and with real oneshots: one whose PATH holds a stand-in `node` (it
// must run that one, even though Hypha could rewrite), one whose PATH holds none (rewritten).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeNeedsRewrite } from '../../main/core/run/run.js';
import { startHypha, type HyphaRuntime } from '../../main/host/runtime.js';

let dir: string;
let withNode: string;
let withoutNode: string;
let runtime: HyphaRuntime | null = null;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hypha-node-rewrite-'));
  withNode = path.join(dir, 'with-node');
  withoutNode = path.join(dir, 'without-node');
  mkdirSync(withNode);
  mkdirSync(withoutNode);
  // The person's own `node`: it only says that it ran.
  writeFileSync(path.join(withNode, 'node'), '#!/bin/sh\necho "the node on PATH ran: $*"\n');
  chmodSync(path.join(withNode, 'node'), 0o755);
  // A file named node that cannot run is no node.
  writeFileSync(path.join(withoutNode, 'node'), 'not executable\n');
  chmodSync(path.join(withoutNode, 'node'), 0o644);
});

afterAll(async () => {
  await runtime?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('nodeNeedsRewrite', () => {
  it('is false where PATH holds an executable node, true where it holds none', () => {
    expect(nodeNeedsRewrite(withNode)).toBe(false);
    expect(nodeNeedsRewrite(`${withoutNode}${path.delimiter}${withNode}`)).toBe(false);
    expect(nodeNeedsRewrite(withoutNode)).toBe(true);
    expect(nodeNeedsRewrite('')).toBe(true);
    expect(nodeNeedsRewrite(undefined)).toBe(true);
  });

  it('inside Electron too: the node on PATH is the one the command meant', () => {
    Object.defineProperty(process.versions, 'electron', { value: '45.4.1', configurable: true, enumerable: true });
    try {
      expect(nodeNeedsRewrite(withNode)).toBe(false);
      expect(nodeNeedsRewrite(withoutNode)).toBe(true);
    } finally {
      delete (process.versions as { electron?: string }).electron;
    }
  });
});

describe('node commands in real services', () => {
  it('runs the node on PATH when there is one, and Hypha’s own Node only when there is none', async () => {
    const config = path.join(dir, 'hypha.yaml');
    writeFileSync(
      config,
      [
        'api: { port: 0 }',
        'services:',
        '  own-node:',
        '    type: oneshot',
        '    command: node -e "1"',
        `    env: { PATH: ${JSON.stringify(`${withNode}${path.delimiter}/usr/bin${path.delimiter}/bin`)} }`,
        '  own-node-argv:',
        '    type: oneshot',
        '    command: ["node", "--version"]',
        `    env: { PATH: ${JSON.stringify(withNode)} }`,
        '  no-node:',
        '    type: oneshot',
        '    command: node -p "\'rewritten to \' + process.execPath"',
        // The shell is /bin/sh by absolute path; nothing else needs PATH.
        `    env: { PATH: ${JSON.stringify(withoutNode)} }`,
        '',
      ].join('\n'),
    );
    runtime = await startHypha({ configPath: config, home: path.join(dir, 'home'), log: () => undefined });
    const rt = runtime;
    const text = (id: string): string => rt.supervisor.logs(id, 50).map((l) => l.text).join('\n');
    const expected: Record<string, string> = {
      'own-node': 'the node on PATH ran: -e 1',
      'own-node-argv': 'the node on PATH ran: --version',
      'no-node': `rewritten to ${process.execPath}`,
    };
    // A oneshot's last line may land in its log a moment after its state says completed.
    const deadline = Date.now() + 30_000;
    while (Object.entries(expected).some(([id, line]) => rt.supervisor.get(id).state !== 'completed' || !text(id).includes(line))) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const [id, line] of Object.entries(expected)) {
      expect(rt.supervisor.get(id).state, `${id}: ${text(id)}`).toBe('completed');
      expect(text(id)).toContain(line);
    }
  });
});
