// state.json: what this supervisor has spawned (pid, start time, group, members), so that the
// next one can find what it left behind after a SIGKILL or power loss.
import path from 'node:path';
import { bootId } from '../process/proctable.js';
import type { Run } from '../run/run.js';
import { readJson, writeAtomic } from './files.js';

export interface RecordedProcess {
  pid: number;
  startTime: string;
}

export interface RecordedRun {
  service: string;
  pid: number;
  pgid: number;
  startTime: string | null;
  members: RecordedProcess[];
}

export interface StateFile {
  pid: number;
  bootId: string | null;
  updatedAt: string;
  runs: RecordedRun[];
}

export function stateFilePath(home: string): string {
  return path.join(home, 'state.json');
}

export function writeStateFile(home: string, runs: Map<string, Run>): void {
  const state: StateFile = {
    pid: process.pid,
    bootId: bootId(),
    updatedAt: new Date().toISOString(),
    runs: [...runs].map(([service, r]) => ({
      service,
      pid: r.pid,
      pgid: r.pgid,
      startTime: r.startTime,
      members: r.tracker.members(),
    })),
  };
  try {
    writeAtomic(stateFilePath(home), JSON.stringify(state));
  } catch {
    // A read-only or full disk must not stop supervision; reaping then falls back to the environ scan.
  }
}

export function readStateFile(home: string): StateFile | null {
  return readJson<StateFile>(stateFilePath(home));
}

