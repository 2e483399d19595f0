// `npm run chaos`: the chaos run (engine.mjs) at full length. Options: --cycles=N (default 300),
// --seed=N (default: from the clock; printed, so a run can be replayed), --max-seconds=N (default
// 900). Exits 1 if any invariant was violated.
import { runChaos } from './engine.mjs';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const cycles = Number(arg('cycles') ?? 300);
const seed = arg('seed') !== undefined ? Number(arg('seed')) : undefined;
const maxSeconds = Number(arg('max-seconds') ?? 900);

// Ctrl-C ends the run after the current cycle, so the daemon and every service still get stopped.
const abort = new AbortController();
process.once('SIGINT', () => abort.abort());
const report = await runChaos({ cycles, seed, maxSeconds, signal: abort.signal, log: (l) => process.stdout.write(`${l}\n`) });
process.stdout.write(
  [
    '',
    `seed ${report.seed}: ${report.cycles} cycles in ${report.seconds.toFixed(0)} s`,
    `acts: ${Object.entries(report.acts).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `invariant checks: ${report.checks}`,
    `violations: ${report.violations.length}`,
    ...report.violations.map((v) => `  cycle ${v.cycle} after ${v.act}: ${v.message}`),
    '',
  ].join('\n'),
);
process.exitCode = report.violations.length === 0 ? 0 : 1;
