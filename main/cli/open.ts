// `hypha open`: print (and, with a display, open) the dashboard URL.
import { Client } from './client.js';
import type { Ctx } from './command.js';

export async function open(ctx: Ctx): Promise<number> {
  const client = await Client.connect(ctx.env);
  const url = `${client.info.url}/#token=${client.info.token}`;
  ctx.out(url);
  const hasDisplay = process.platform !== 'linux' || Boolean(ctx.env.DISPLAY || ctx.env.WAYLAND_DISPLAY);
  if (hasDisplay) {
    const { execa } = await import('execa');
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    execa(opener, [url], { detached: true, stdio: 'ignore', reject: false }).unref?.();
  }
  return 0;
}
