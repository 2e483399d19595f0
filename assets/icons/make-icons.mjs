#!/usr/bin/env node
// Draws Hypha's tray and app icons and writes them as PNG files next to this script.
// Kept as code so the icons can be regenerated exactly; run `node assets/icons/make-icons.mjs`.
// No image library: shapes are signed-distance functions, supersampled for smooth edges, and
// the PNG bytes are written by hand with zlib.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

// ---- PNG encoding -------------------------------------------------------------------------

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** rgba: Float32Array of straight (non-premultiplied) 0..1 values, width*height*4. */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 4);
    raw[row] = 0; // filter: none
    for (let i = 0; i < width * 4; i++) {
      raw[row + 1 + i] = Math.round(Math.min(1, Math.max(0, rgba[y * width * 4 + i])) * 255);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Shapes (signed distance, in design units; negative = inside) --------------------------

const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const ring = (cx, cy, r, width) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - width / 2;
const segment = (ax, ay, bx, by, r) => (x, y) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - r;
};
const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const qx = Math.abs(x - cx) - ((x1 - x0) / 2 - r), qy = Math.abs(y - cy) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const union = (...shapes) => (x, y) => Math.min(...shapes.map((s) => s(x, y)));
const subtract = (a, b) => (x, y) => Math.max(a(x, y), -b(x, y));
const halfPlaneLeft = (cx) => (x) => x - cx;
const intersect = (a, b) => (x, y) => Math.max(a(x, y), b(x, y));

/**
 * Paints layers ({shape, color: [r,g,b,a]}) over a transparent canvas of `size` pixels; the
 * design space is `units` wide. 4×4 supersampling gives the anti-aliased edge.
 */
function render(size, units, layers) {
  const out = new Float32Array(size * size * 4);
  const scale = units / size;
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0; // premultiplied accumulation
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) * scale;
          const y = (py + (sy + 0.5) / samples) * scale;
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const { shape, color } of layers) {
            if (shape(x, y) > 0) continue;
            const [lr, lg, lb, la] = color;
            cr = lr * la + cr * (1 - la);
            cg = lg * la + cg * (1 - la);
            cb = lb * la + cb * (1 - la);
            ca = la + ca * (1 - la);
          }
          r += cr; g += cg; b += cb; a += ca;
        }
      }
      const n = samples * samples, i = (py * size + px) * 4;
      a /= n;
      out[i] = a > 0 ? r / n / a : 0;
      out[i + 1] = a > 0 ? g / n / a : 0;
      out[i + 2] = a > 0 ? b / n / a : 0;
      out[i + 3] = a;
    }
  }
  return out;
}

const hex = (h, alpha = 1) => [
  parseInt(h.slice(1, 3), 16) / 255,
  parseInt(h.slice(3, 5), 16) / 255,
  parseInt(h.slice(5, 7), 16) / 255,
  alpha,
];

// ---- Tray icons: one shape per state, so they read in monochrome (macOS templates) too --------
// online: full disc · starting: ring, left half filled · warning: disc with "!" cut out ·
// stopped: empty ring. Design space is 16 units.

const C = 8, R = 6.5;
const exclamation = union(segment(C, 4.6, C, 8.6, 1.05), circle(C, 11.2, 1.15));
const glyphs = {
  online: circle(C, C, R),
  starting: union(ring(C, C, R - 0.9, 1.8), intersect(circle(C, C, R), halfPlaneLeft(C))),
  warning: subtract(circle(C, C, R), exclamation),
  stopped: ring(C, C, R - 0.9, 1.8),
};
const colors = {
  online: { fill: '#2fb35f', edge: '#1d7a3e' },
  starting: { fill: '#e6a700', edge: '#9c7100' },
  warning: { fill: '#e0443a', edge: '#9e2620' },
  stopped: { fill: '#8b919a', edge: '#5c6169' },
};

function trayLayers(state, template) {
  const glyph = glyphs[state];
  if (template) return [{ shape: glyph, color: [0, 0, 0, 1] }];
  const { fill, edge } = colors[state];
  // A darker rim keeps the glyph visible on light and dark panels alike.
  const rim = intersect(glyph, (x, y) => -(Math.hypot(x - C, y - C) - (R - 0.9)));
  return [
    { shape: glyph, color: hex(fill) },
    { shape: rim, color: hex(edge, 0.85) },
  ];
}

// ---- App icon: a mycelium network on a rounded tile; design space is 512 units --------------

function appLayers() {
  const tile = roundedRect(16, 16, 496, 496, 110);
  const hub = [256, 262];
  const tips = [
    [120, 150], [392, 128], [410, 330], [300, 420], [128, 372],
  ];
  const forks = [
    [[120, 150], [92, 230]], [[392, 128], [438, 214]], [[300, 420], [372, 436]], [[128, 372], [200, 440]],
  ];
  const threads = union(
    ...tips.map(([x, y]) => segment(hub[0], hub[1], x, y, 13)),
    ...forks.map(([[ax, ay], [bx, by]]) => segment(ax, ay, bx, by, 9)),
  );
  const nodes = union(
    ...tips.map(([x, y]) => circle(x, y, 26)),
    ...forks.map(([, [x, y]]) => circle(x, y, 17)),
  );
  return [
    { shape: tile, color: hex('#1f3b2f') },
    { shape: threads, color: hex('#efe6cf') },
    { shape: nodes, color: hex('#efe6cf') },
    { shape: circle(hub[0], hub[1], 54), color: hex('#efe6cf') },
    { shape: circle(hub[0], hub[1], 36), color: hex('#2fb35f') },
  ];
}

// ---- Write -----------------------------------------------------------------------------------

function write(file, size, units, layers) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, encodePng(size, size, render(size, units, layers)));
}

for (const state of Object.keys(glyphs)) {
  for (const template of [false, true]) {
    const base = `tray-${state}${template ? 'Template' : ''}`;
    write(join(here, `${base}.png`), 16, 16, trayLayers(state, template));
    write(join(here, `${base}@2x.png`), 32, 16, trayLayers(state, template));
  }
  // Linux panels are 22–24 px and scale down a 32 px source more cleanly than they scale up.
  write(join(here, `tray-${state}-32.png`), 32, 16, trayLayers(state, false));
  write(join(here, `tray-${state}-32@2x.png`), 64, 16, trayLayers(state, false));
}
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  write(join(here, 'app', `${size}x${size}.png`), size, 512, appLayers());
}
write(join(here, 'icon.png'), 512, 512, appLayers());
console.log(`icons written to ${here}`);
