// Time to first render of the dashboard with N services (default 200), in Debian's Chromium,
// against a real `hypha daemon`, beside the no-framework floor: the `firstRender` figure of
// `npm run bench` (figures/first-render.mjs says how it is measured), on its own.
// Run: `npm run build && node test/bench/dashboard-first-render.mjs [N] [--root DIR] [--vs DIR] [--runs R] [--no-floor]`
// (`--root` measures another checkout's build instead of this one; `--vs` measures another one
// beside it, in the same rounds, e.g. the code before a change).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { breakdown, measure, TARGET_MS } from './figures/first-render.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { root: { type: 'string' }, vs: { type: 'string' }, runs: { type: 'string', default: '7' }, 'no-floor': { type: 'boolean', default: false } },
});
const r = await measure({
  n: Number(positionals[0] ?? 200),
  runs: Number(values.runs),
  floor: !values['no-floor'],
  ...(values.root ? { root: path.resolve(values.root) } : {}),
  ...(values.vs ? { vs: path.resolve(values.vs) } : {}),
});
if ('skipped' in r) {
  console.log(`dashboard first render: not measured: ${r.skipped}`);
} else {
  console.log(
    `dashboard first render, ${r.n} services: median ${r.hypha.ms.toFixed(0)} ms` +
      (r.floor ? `, floor ${r.floor.ms.toFixed(0)} ms` : '') +
      ` (target ${TARGET_MS} ms)${values.root ? ` [root ${values.root}]` : ''}\n  ${breakdown(r)}` +
      (r.vs ? `\n  vs ${values.vs}: median ${r.vs.ms.toFixed(0)} ms; ${breakdown(r, r.vs)}` : ''),
  );
}
