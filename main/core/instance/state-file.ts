// state.json: what this supervisor has spawned (pid, start time, group, members), so that the
// next one can find what it left behind after a SIGKILL or power loss.
import fs from 'node:fs';
import path from 'node:path';
import { bootId } from '../process/proctable.js';
import type { Run } from '../run/run.js';
import { readJson, setAside, writeAtomic } from './files.js';

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

/** A state.json of the right shape, or null (missing, unreadable, or hand-edited into nonsense). */
export function readStateFile(home: string): StateFile | null {
  const raw = readJson<unknown>(stateFilePath(home));
  return isStateFile(raw) ? raw : null;
}

/**
 * Before a start: a state.json that is not JSON of the right shape is set aside as
 * `state.json.bad-<time>` (kept for a person to look at), so it can neither crash nor mislead the
 * orphan search. Returns the one line to tell the user, or null when all is well.
 */
export function setAsideBadStateFile(home: string): string | null {
  const file = stateFilePath(home);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null; // none: a clean start
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isStateFile(parsed)) return null;
  const aside = setAside(file);
  return aside ? `state.json is not valid; set it aside as ${path.basename(aside)} and starting clean` : `state.json is not valid and could not be set aside; ignoring it`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPid = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

function isRecordedProcess(v: unknown): v is RecordedProcess {
  return isObject(v) && isPid(v.pid) && typeof v.startTime === 'string';
}

function isRecordedRun(v: unknown): v is RecordedRun {
  return (
    isObject(v) &&
    typeof v.service === 'string' &&
    isPid(v.pid) &&
    isPid(v.pgid) &&
    (v.startTime === null || typeof v.startTime === 'string') &&
    Array.isArray(v.members) &&
    v.members.every(isRecordedProcess)
  );
}

export function isStateFile(v: unknown): v is StateFile {
  return (
    isObject(v) &&
    isPid(v.pid) &&
    (v.bootId === null || typeof v.bootId === 'string') &&
    typeof v.updatedAt === 'string' &&
    Array.isArray(v.runs) &&
    v.runs.every(isRecordedRun)
  );
}

