// The process toolkit the supervisor builds on: tables, trees, tree kills, ports, sampling.
export * from './proctable.js';
export * from './tree.js';
export * from './kill.js';
export * from './ports.js';
