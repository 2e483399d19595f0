// Where the desktop app's files are, from the app's root (app.getAppPath(): the source tree, or
// app.asar when packaged — electron-builder.yml keeps the same layout):
//   dist/app/main.cjs · dist/preload/preload.cjs · renderer/dist/index.html · assets/icons/
import path from 'node:path';

export interface DesktopPaths {
  root: string;
  preload: string;
  page: string;
  icons: string;
  appIcon: string;
}

export function desktopPaths(root: string): DesktopPaths {
  return {
    root,
    preload: path.join(root, 'dist', 'preload', 'preload.cjs'),
    page: path.join(root, 'renderer', 'dist', 'index.html'),
    icons: path.join(root, 'assets', 'icons'),
    appIcon: path.join(root, 'assets', 'icons', 'app', '256x256.png'),
  };
}
