// Keeps what she needs inside what she actually sees when the on-screen keyboard opens or she zooms: the
// exit bar at the top of the visual viewport (iOS pans the page under a sticky bar), and, during a chat, the
// chat sized to the visible height so the composer sits just above the keyboard on iOS and Android alike.
// Custom properties are set through the CSSOM (allowed by the CSP's style-src 'self', unlike style attributes).
import { useLayoutEffect, type RefObject } from 'react';

/** Distance from the top of the document, independent of scrolling and zoom panning. */
function documentTop(el: HTMLElement): number {
  let top = 0;
  for (let node: HTMLElement | null = el; node; node = node.offsetParent instanceof HTMLElement ? node.offsetParent : null) {
    top += node.offsetTop;
  }
  return top;
}

export function useVisualViewport(container: RefObject<HTMLElement | null>, fitChat: boolean): void {
  useLayoutEffect(() => {
    const root = document.documentElement;
    const vv = window.visualViewport ?? null;
    const el = container.current;
    let frame = 0;

    const update = () => {
      frame = 0;
      const height = vv ? vv.height : window.innerHeight;
      root.style.setProperty('--vv-top', `${Math.max(0, Math.round(vv ? vv.offsetTop : 0))}px`);
      if (!fitChat || !el) return;
      el.style.setProperty('--app-height', `${Math.max(0, Math.floor(height - documentTop(el)))}px`);
      // The keyboard has just opened or closed: keep the field she is typing in on screen.
      const focused = document.activeElement;
      if (focused instanceof HTMLTextAreaElement && el.contains(focused)) focused.scrollIntoView({ block: 'nearest' });
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(update);
    };

    update();
    vv?.addEventListener('resize', schedule);
    vv?.addEventListener('scroll', schedule);
    window.addEventListener('resize', schedule);
    // The exit bar above the chat changes height with the language and the text size.
    const exitBar = document.getElementById('quick-exit');
    const observer = fitChat && exitBar && typeof ResizeObserver === 'function' ? new ResizeObserver(schedule) : null;
    if (exitBar) observer?.observe(exitBar);

    return () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      vv?.removeEventListener('resize', schedule);
      vv?.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      observer?.disconnect();
      el?.style.removeProperty('--app-height');
    };
  }, [container, fitChat]);
}
