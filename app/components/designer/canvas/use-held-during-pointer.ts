"use client";

import { useCallback, useEffect, useState, type PointerEvent } from "react";

/**
 * A value that may not change while a pointer is down on an element. Selecting a node can change the
 * workspace's layout (the mapper and rules editors get a wide inspector and a narrower palette),
 * which moves and resizes the canvas. React Flow selects on pointer-down, so without this the canvas
 * would slide under the pointer at the start of a connection or node drag and the drop would land
 * somewhere else. Held, the new layout applies when the gesture ends.
 */
export function useHeldDuringPointer<T>(value: T): { value: T; onPointerDownCapture: (e: PointerEvent) => void } {
  const [held, setHeld] = useState<{ value: T } | null>(null);

  const onPointerDownCapture = useCallback(
    (e: PointerEvent) => {
      if (e.button !== 0) return;
      // Captured before React Flow's own handlers run, in the same batch as the selection they make.
      setHeld((current) => current ?? { value });
    },
    [value],
  );

  useEffect(() => {
    if (!held) return;
    const release = () => setHeld(null);
    window.addEventListener("pointerup", release);
    window.addEventListener("pointercancel", release);
    window.addEventListener("blur", release);
    return () => {
      window.removeEventListener("pointerup", release);
      window.removeEventListener("pointercancel", release);
      window.removeEventListener("blur", release);
    };
  }, [held]);

  return { value: held ? held.value : value, onPointerDownCapture };
}
