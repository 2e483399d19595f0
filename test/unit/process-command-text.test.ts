// Messages name a command by what a person recognises, wherever Node or the checkout lives.
import { describe, expect, it } from 'vitest';
import { clipCommand } from '../../main/core/process/command-text.js';

describe('clipCommand', () => {
  it('leaves a short command alone', () => {
    expect(clipCommand('node server.mjs --port 80', 80)).toBe('node server.mjs --port 80');
  });

  it('abbreviates long paths before cutting, so the program and its file stay visible', () => {
    const long = '/root/.cache/hypha-ci/node-22.23.5/bin/node /tmp/ci-clone/test/fixtures/port-holder.mjs --flag';
    expect(clipCommand(long, 80)).toBe('node …/fixtures/port-holder.mjs --flag');
  });

  it('still cuts what is too long after that, with an ellipsis', () => {
    const out = clipCommand(`/usr/bin/python3 ${'x'.repeat(100)}`, 40);
    expect(out).toHaveLength(40);
    expect(out.startsWith('python3 xxx')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
  });
});
