// Both transports reject with the same error shape, so components never care which one
// carried the call.
import type { HyphaError } from '../../../main/contract/api.js';

export class HyphaRequestError extends Error implements HyphaError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'HyphaError';
  }
}

// Electron prefixes errors rethrown across ipcRenderer.invoke with this; a person should not see it.
const IPC_PREFIX = /^Error invoking remote method '[^']*':\s*(?:[A-Za-z]*Error:\s*)?/;

function statusOf(value: object): number {
  const status = (value as { status?: unknown }).status;
  return typeof status === 'number' && Number.isFinite(status) ? status : 500;
}

/** Turns whatever a transport threw (Error, {error}, {message,status}, string) into a HyphaError. */
export function toHyphaError(thrown: unknown): HyphaRequestError {
  if (thrown instanceof HyphaRequestError) return thrown;
  if (typeof thrown === 'string') return new HyphaRequestError(thrown.replace(IPC_PREFIX, ''), 500);
  if (thrown !== null && typeof thrown === 'object') {
    const record = thrown as { message?: unknown; error?: unknown };
    const text =
      typeof record.message === 'string' && record.message !== ''
        ? record.message
        : typeof record.error === 'string'
          ? record.error
          : 'Unexpected error';
    return new HyphaRequestError(text.replace(IPC_PREFIX, ''), statusOf(thrown));
  }
  return new HyphaRequestError('Unexpected error', 500);
}

export function isAuthError(error: HyphaError): boolean {
  return error.status === 401 || error.status === 403;
}
