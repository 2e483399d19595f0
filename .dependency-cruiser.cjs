// The boundaries of ARCHITECTURE.md, checked on every `npm test` (`npm run check:boundaries`).
// Who may import whom: contract ← everyone; core ← host, cli; api ← host; desktop ← nobody
// (Electron's entry); renderer and preload ← only contract and themselves.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'contract-imports-nothing',
      comment: 'main/contract holds the wire types (and constant data): it imports only itself.',
      severity: 'error',
      from: { path: '^main/contract/' },
      to: { pathNot: '^main/contract/' },
    },
    {
      name: 'core-knows-no-adapter',
      comment: 'core is plain Node: no HTTP server, CLI, Electron, host or renderer.',
      severity: 'error',
      from: { path: '^main/core/' },
      to: { path: '^(main/(api|cli|desktop|host)/|renderer/|preload/)|^electron$|node_modules/electron/' },
    },
    {
      name: 'core-only-from-host-and-cli',
      comment: 'Only the composition root and the CLI drive core directly; adapters use the contract.',
      severity: 'error',
      from: { path: '^main/(api|desktop)/|^renderer/|^preload/' },
      to: { path: '^main/core/' },
    },
    {
      name: 'api-only-from-host',
      severity: 'error',
      from: { path: '^main/', pathNot: '^main/(api|host)/' },
      to: { path: '^main/api/' },
    },
    {
      name: 'desktop-imported-by-nobody',
      comment: "desktop is Electron's entry; nothing else may import it.",
      severity: 'error',
      from: { pathNot: '^main/desktop/' },
      to: { path: '^main/desktop/' },
    },
    {
      name: 'renderer-only-contract',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { path: '^(main/|preload/)', pathNot: '^main/contract/' },
    },
    {
      name: 'preload-only-contract',
      severity: 'error',
      from: { path: '^preload/' },
      to: { path: '^(main/|renderer/)', pathNot: '^main/contract/' },
    },
    {
      name: 'host-not-from-core-or-api',
      severity: 'error',
      from: { path: '^main/(core|api|contract)/' },
      to: { path: '^main/host/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.cts', '.js', '.mjs'] },
  },
};
