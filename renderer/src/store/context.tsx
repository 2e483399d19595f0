// Hands the one store to every component; a component subscribes only to the slice it shows,
// so a status change re-renders that service's row and nothing else.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { RemotesApi } from '../../../main/contract/api.js';
import type { HyphaActions, HyphaState, HyphaStore } from './store.js';

const StoreContext = createContext<HyphaStore | null>(null);

export function StoreProvider({ value, children }: { value: HyphaStore; children: ReactNode }) {
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>;
}

function useHyphaStore(): HyphaStore {
  const value = useContext(StoreContext);
  if (!value) throw new Error('StoreProvider is missing above this component');
  return value;
}

export function useHypha<T>(selector: (state: HyphaState) => T): T {
  return useStore(useHyphaStore().store, selector);
}

export function useActions(): HyphaActions {
  return useHyphaStore().actions;
}

/** The remotes half of the transport, or null where it carries none. */
export function useRemotesApi(): RemotesApi | null {
  return useHyphaStore().api?.remotes ?? null;
}
