// The tray and app icons are committed PNGs drawn by assets/icons/make-icons.mjs; this checks
// every file the desktop code can ask for exists and is a well-formed PNG of the right size.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { trayIconName, type AggregateState } from '../../main/desktop/tray-menu.js';

const icons = path.resolve(import.meta.dirname, '..', '..', 'assets', 'icons');

interface Png {
  width: number;
  height: number;
  rgba: Buffer;
}

function readPng(file: string): Png {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (;;) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]); // 8-bit RGBA
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe(height * (1 + width * 4));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (1 + width * 4)]).toBe(0); // the writer uses filter "none" only
    raw.copy(rgba, y * width * 4, y * (1 + width * 4) + 1, (y + 1) * (1 + width * 4));
  }
  return { width, height, rgba };
}

const states: AggregateState[] = ['online', 'starting', 'warning', 'stopped'];

describe('tray icons', () => {
  it.each(states)('%s exists at 16 px and @2x, for every platform', (state) => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const name = trayIconName(state, platform);
      const base = readPng(path.join(icons, name));
      const retina = readPng(path.join(icons, name.replace(/\.png$/, '@2x.png')));
      expect(retina.width).toBe(base.width * 2);
      expect(base.width).toBe(base.height);
      expect([16, 32]).toContain(base.width);
    }
  });

  it('macOS templates are black with alpha only, so the menu bar can tint them', () => {
    for (const state of states) {
      const { rgba } = readPng(path.join(icons, `tray-${state}Template@2x.png`));
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3]! > 0) expect([rgba[i], rgba[i + 1], rgba[i + 2]]).toEqual([0, 0, 0]);
      }
    }
  });

  it('draws each state differently, even in monochrome', () => {
    const masks = states.map((s) => readPng(path.join(icons, `tray-${s}Template@2x.png`)).rgba.toString('base64'));
    expect(new Set(masks).size).toBe(states.length);
  });
});

describe('app icon', () => {
  it('is 512 px for macOS and Windows, with the Linux size set beside it', () => {
    expect(readPng(path.join(icons, 'icon.png')).width).toBe(512);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(readPng(path.join(icons, 'app', `${size}x${size}.png`))).toMatchObject({ width: size, height: size });
    }
  });
});
