// Remote tokens at rest in the desktop app: sealed with the OS keychain through Electron's
// safeStorage (macOS Keychain, Windows DPAPI, libsecret/kwallet on Linux). Where it is not
// available — or on Linux only with its "basic_text" fallback, a fixed key that protects nothing —
// there is no box and the daemon keeps tokens in its 0600 file. safeStorage is passed in, so this
// file has no electron import and is tested under Node.
import type { SecretBox } from '../contract/remotes.js';

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Call after the app is ready (safeStorage answers false before). */
export function keychainBox(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return undefined;
  return {
    kind: 'safeStorage',
    seal: (token) => safeStorage.encryptString(token).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
