// Where the desktop app's files are. The compiled layout is the same in the source tree and in
// the packaged app.asar (electron-builder.yml copies dist, renderer/dist and assets as they are):
//   dist/main/desktop/*.js · dist/preload/preload.cjs · renderer/dist/index.html · assets/icons/
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DesktopPaths {
  root: string;
  preload: string;
  page: string;
  icons: string;
  appIcon: string;
}

export function desktopPaths(root: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')): DesktopPaths {
  return {
    root,
    preload: path.join(root, 'dist', 'preload', 'preload.cjs'),
    page: path.join(root, 'renderer', 'dist', 'index.html'),
    icons: path.join(root, 'assets', 'icons'),
    appIcon: path.join(root, 'assets', 'icons', 'app', '256x256.png'),
  };
}
