"use client";

import { useCallback, useSyncExternalStore } from "react";

/**
 * Whether the user shrank the palette to an icon rail; remembered in this browser, so a laptop user
 * sets it once. Read through useSyncExternalStore: the server render and the first client render
 * agree (expanded), then the stored choice applies.
 */
const KEY = "flowport.palette-rail";
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePaletteRail(): [boolean, (rail: boolean) => void] {
  const rail = useSyncExternalStore(subscribe, () => window.localStorage.getItem(KEY) === "1", () => false);
  const set = useCallback((next: boolean) => {
    window.localStorage.setItem(KEY, next ? "1" : "0");
    for (const listener of listeners) listener();
  }, []);
  return [rail, set];
}
