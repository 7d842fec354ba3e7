// Moves focus to a screen's heading when the screen changes, so keyboard and screen-reader users land on
// the new content; the very first screen leaves focus alone so the exit link stays the first stop.
import { useEffect, useRef, type RefObject } from 'react';

let firstScreenShown = false;

export function useFocusOnMount<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (!firstScreenShown) {
      firstScreenShown = true;
      return;
    }
    ref.current?.focus();
  }, []);
  return ref;
}
