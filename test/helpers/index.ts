export * from './fixtures.js';
export * from './ports.js';
export * from './processes.js';
export * from './temp.js';
export * from './wait.js';
export * from './programs.js';
