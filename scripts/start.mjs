#!/usr/bin/env node
// `npm start`: the tray app where Electron can run; elsewhere the same supervisor headless
// (`hypha daemon` in the foreground), after one line saying why. Arguments are passed on
// (`npm start -- -c my.yaml`); `--headless` (or HYPHA_HEADLESS=1) asks for headless outright.
// Builds first when the compiled output is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Same as bin/hypha's shebang: a small young generation keeps a long-lived supervisor's RSS low.
const DAEMON_NODE_FLAGS = ['--max-semi-space-size=1'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const needed = ['dist/app/main.cjs', 'dist/main/desktop/launch-decision.js', 'dist/main/cli', 'renderer/dist/index.html'];

if (needed.some((file) => !existsSync(path.join(root, file)))) {
  process.stderr.write('hypha: building first (npm run build)\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) {
    process.stderr.write(`hypha: the build failed (exit ${build.status ?? build.signal}); fix it and run npm start again\n`);
    process.exit(build.status || 1);
  }
}

const { decideLaunch, findElectronBinary } = await import(
  pathToFileURL(path.join(root, 'dist/main/desktop/launch-decision.js')).href
);

const args = process.argv.slice(2);
const forwarded = args.filter((a) => a !== '--headless');
const decision = decideLaunch({
  platform: process.platform,
  env: process.env,
  headlessFlag: forwarded.length !== args.length,
  electron: findElectronBinary(root),
});

let child;
if (decision.mode === 'electron') {
  // A leftover ELECTRON_RUN_AS_NODE would start Electron as plain Node and ignore the app.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  child = spawn(decision.binary, [root, ...forwarded], { cwd: process.cwd(), env, stdio: 'inherit', detached: process.platform !== 'win32' });
} else {
  process.stderr.write(`${decision.reason}\n`);
  // Its own process group, so a terminal's Ctrl-C reaches it once (forwarded below), not twice.
  child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, path.join(root, 'bin', 'hypha'), 'daemon', ...forwarded], {
    cwd: process.cwd(),
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: process.platform !== 'win32',
  });
}

const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));

child.on('error', (error) => {
  process.stderr.write(`hypha: could not start ${decision.mode === 'electron' ? 'Electron' : 'the daemon'}: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // Die the same way, so whoever started us sees what happened to the child.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
