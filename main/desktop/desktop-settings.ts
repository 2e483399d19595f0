// The tray's own preferences, kept in $HYPHA_HOME/desktop.json. Plain Node. A missing or
// damaged file means defaults: a preference is never worth refusing to start over.
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface DesktopSettings {
  notifications: boolean;
}

export const defaultDesktopSettings: DesktopSettings = { notifications: true };

export function desktopSettingsFile(home: string): string {
  return path.join(home, 'desktop.json');
}

export function loadDesktopSettings(home: string): DesktopSettings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(desktopSettingsFile(home), 'utf8'));
  } catch {
    return { ...defaultDesktopSettings };
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return {
    notifications: typeof record.notifications === 'boolean' ? record.notifications : defaultDesktopSettings.notifications,
  };
}

/** Written to a temp file and renamed, so a crash mid-write never leaves half a file. */
export async function saveDesktopSettings(home: string, settings: DesktopSettings): Promise<void> {
  const file = desktopSettingsFile(home);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
}
