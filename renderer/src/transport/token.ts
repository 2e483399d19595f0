// The daemon hands the dashboard its token in the URL fragment (never sent to a server, never
// in a query string). We keep it for this tab only and take it out of the address bar so it is
// not shared by copying the URL or left in history.
const STORAGE_KEY = 'hypha.token';

export interface TokenPlace {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

export function takeToken(place: TokenPlace): string | null {
  const hash = place.location.hash.replace(/^#/, '');
  if (hash.startsWith('token=') || hash.includes('&token=')) {
    const params = new URLSearchParams(hash);
    const token = params.get('token');
    params.delete('token');
    const rest = params.toString();
    place.history.replaceState(place.history.state, '', `${place.location.pathname}${place.location.search}${rest ? `#${rest}` : ''}`);
    if (token) {
      place.storage.setItem(STORAGE_KEY, token);
      return token;
    }
  }
  return place.storage.getItem(STORAGE_KEY);
}

export function saveToken(storage: TokenPlace['storage'], token: string): void {
  storage.setItem(STORAGE_KEY, token.trim());
}

export function forgetToken(storage: TokenPlace['storage']): void {
  storage.removeItem(STORAGE_KEY);
}
