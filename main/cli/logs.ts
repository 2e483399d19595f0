// `hypha logs ID [-n N] [-f]`: the last lines, or follow.
import type { LogLine } from '../contract/status.js';
import { CliError, Client } from './client.js';
import type { Ctx } from './command.js';
import { followEvents, linesAfter } from './follow.js';
import { paint } from './format.js';

function printLine(ctx: Ctx, l: LogLine): void {
  const c = ctx.color;
  const text = l.stream === 'stderr' ? paint(l.text, 31, c) : l.stream === 'supervisor' ? paint(`[hypha] ${l.text}`, 36, c) : l.text;
  ctx.out(`${paint(l.ts.slice(11, 23), 90, c)} ${text}`);
}

export async function logs(ctx: Ctx): Promise<number> {
  const { values, positionals } = ctx;
  const n = values.lines === undefined ? 100 : Number(values.lines);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`-n must be a whole number ≥ 0, not "${String(values.lines)}"`, 2);
  if (positionals.length !== 1) throw new CliError('logs takes one service id: hypha logs ID', 2);
  const id = positionals[0] as string;
  const client = await Client.connect(ctx.env);
  const tail = async (): Promise<LogLine[]> =>
    (await client.call<{ lines: LogLine[] }>('GET', `/api/services/${encodeURIComponent(id)}/logs?lines=${n}`)).lines;
  if (!values.follow) {
    for (const l of await tail()) printLine(ctx, l);
    return 0;
  }
  // Subscribe first, then read the tail: a line written in between arrives on the stream and is
  // printed once, after the tail, instead of falling into the gap.
  const early: LogLine[] = [];
  let live = false;
  const stream = await followEvents(client, (event, data) => {
    if (event !== 'log') return;
    const d = data as { id: string; line: LogLine };
    if (d.id !== id) return;
    if (live) printLine(ctx, d.line);
    else early.push(d.line);
  });
  let lines: LogLine[];
  try {
    lines = await tail();
  } catch (err) {
    stream.close(); // an open stream would keep the CLI from exiting
    throw err;
  }
  for (const l of lines) printLine(ctx, l);
  for (const l of linesAfter(lines, early)) printLine(ctx, l);
  live = true;
  await stream.ended;
  throw new CliError('the daemon closed the event stream', 1);
}
