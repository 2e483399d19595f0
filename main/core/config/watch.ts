// Live reload on save: watches the config file's folder (editors often replace the file rather
// than write it in place), waits for the writes to settle, and reloads only if the text changed.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Disposable } from '../../contract/status.js';

function digest(file: string): string | null {
  try {
    return crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

export function watchConfig(file: string, onChange: () => void, debounceMs = 300): Disposable {
  let last = digest(file);
  let timer: NodeJS.Timeout | null = null;
  let watcher: fs.FSWatcher | null = null;
  const base = path.basename(file);
  try {
    watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, name) => {
      if (name !== null && name !== base) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        const now = digest(file);
        if (now === null || now === last) return;
        last = now;
        onChange();
      }, debounceMs);
    });
    watcher.on('error', () => undefined);
  } catch {
    // A folder that cannot be watched (some network mounts): reload stays available by API/CLI.
  }
  return {
    dispose: () => {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
