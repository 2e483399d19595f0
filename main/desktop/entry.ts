// The one main file of the packaged app (bundled to dist/app/main.cjs with everything it imports
// but electron): the tray app, or — for a CLI word, or when run with ELECTRON_RUN_AS_NODE=1 by the
// `hypha` wrapper — the CLI. The app is loaded only when it is the app, so the CLI never touches
// electron (which Electron-as-Node cannot load) and never raises a window.
import { chooseRole } from './role.js';

const role = chooseRole({
  argv: process.argv,
  env: process.env,
  electron: process.versions.electron,
  defaultApp: (process as { defaultApp?: boolean }).defaultApp === true,
});

if (role.kind === 'cli') {
  void import('../cli/index.js').then(async ({ runCli }) => {
    await runCli(role.argv);
    // Electron's main process lives on until told to go; Node (and Electron-as-Node) ends by itself.
    if (process.versions.electron && !process.env.ELECTRON_RUN_AS_NODE) process.exit(process.exitCode ?? 0);
  });
} else {
  void import('./main.js').then(({ runApp }) => runApp());
}
