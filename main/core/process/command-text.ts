// A command line short enough for a message, keeping what a person recognises. Cutting the end off
// `/root/.cache/node-22/bin/node /tmp/checkout/test/fixtures/port-holder.mjs` would leave only the
// paths' prefixes; abbreviating the paths first (`node …/fixtures/port-holder.mjs`) keeps the
// program and the file it runs, whatever folder Hypha or the service happens to live in.

/** `text` cut to `max` characters with an ellipsis; long paths abbreviated first. */
export function clipCommand(text: string, max: number): string {
  if (text.length <= max) return text;
  const words = text.split(' ');
  const shorter = words
    .map((w, i) => {
      if (!w.startsWith('/') || !w.includes('/', 1)) return w;
      const parts = w.split('/').filter(Boolean);
      // The program: its name alone. An argument: its folder and name, enough to tell files apart.
      return i === 0 ? (parts.at(-1) ?? w) : `…/${parts.slice(-2).join('/')}`;
    })
    .join(' ');
  return shorter.length > max ? `${shorter.slice(0, max - 1)}…` : shorter;
}
