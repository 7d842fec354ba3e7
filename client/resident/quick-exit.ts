// Quick exit (S4): blank the page at once, let the app wipe keys and state, then replace the page with a
// neutral site so Back does not return to a live chat. No dependencies: this module is its own tiny entry
// (vite.config.ts) and attaches its handlers before the app bundle has even arrived.

export const NEUTRAL_TITLE = 'Informazioni';

const PRESS_WINDOW_MS = 1_000;
const ESCAPES_TO_EXIT = 2;
const SHIFTS_TO_EXIT = 3;

let wipeHook: (() => void) | null = null;
let restoreHook: (() => void) | null = null;
let attached = false;
let escapes: number[] = [];
let shifts: number[] = [];

/** The app registers the wipe (close sessions, drop messages, tell the server, disconnect). */
export function onQuickExit(hook: () => void): void {
  wipeHook = hook;
}

/** The app registers how to show an empty start screen when the page comes back from the bfcache. */
export function onPageRestored(hook: () => void): void {
  restoreHook = hook;
}

function hidePage(): void {
  document.documentElement.classList.add('exiting');
  // `hidden` needs no stylesheet, in case the CSS has not arrived yet.
  if (document.body) document.body.hidden = true;
  document.title = NEUTRAL_TITLE;
}

function showPage(): void {
  document.documentElement.classList.remove('exiting');
  if (document.body) document.body.hidden = false;
  document.title = NEUTRAL_TITLE;
}

export function quickExit(): void {
  hidePage();
  try {
    wipeHook?.();
  } catch {
    // Deliberately ignored: nothing may keep her on this page. The keys die with the page anyway.
  }
  location.replace(__EXIT_URL__);
}

/** Inputs that take no typed text: a focused radio button or checkbox must not disable the shortcuts. */
const NON_TEXT_INPUTS: ReadonlySet<string> = new Set([
  'radio',
  'checkbox',
  'button',
  'submit',
  'reset',
  'image',
  'range',
  'color',
  'file',
  'hidden',
]);

/** Where keys are typed into a field (or a select's type-ahead), Escape and Shift mean something else. */
function isTypingTarget(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(el.type);
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  return el instanceof HTMLElement && el.isContentEditable;
}

function pressed(history: number[], now: number, needed: number): { history: number[]; fire: boolean } {
  const recent = history.filter((t) => now - t < PRESS_WINDOW_MS);
  recent.push(now);
  return recent.length >= needed ? { history: [], fire: true } : { history: recent, fire: false };
}

function onKeyDown(e: KeyboardEvent): void {
  if (e.repeat) return;
  if (isTypingTarget(document.activeElement) || (e.target instanceof Element && isTypingTarget(e.target))) {
    escapes = [];
    shifts = [];
    return;
  }
  const now = e.timeStamp || performance.now();
  if (e.key === 'Escape') {
    const r = pressed(escapes, now, ESCAPES_TO_EXIT);
    escapes = r.history;
    shifts = [];
    if (r.fire) quickExit();
  } else if (e.key === 'Shift') {
    const r = pressed(shifts, now, SHIFTS_TO_EXIT);
    shifts = r.history;
    escapes = [];
    if (r.fire) quickExit();
  } else {
    escapes = [];
    shifts = [];
  }
}

/** A click (tap, Enter) anywhere on the exit link; delegated, so it works before the link is parsed. */
function onClick(e: MouseEvent): void {
  if (!(e.target instanceof Element) || !e.target.closest('#quick-exit')) return;
  e.preventDefault();
  quickExit();
}

/**
 * Idempotent. Runs when this module is first evaluated (it is the page's first, async script) and again at
 * the top of the app entry. Needs no element to exist yet: every listener is on the document or the window.
 */
export function attachQuickExit(): void {
  if (attached) return;
  attached = true;
  document.title = NEUTRAL_TITLE;
  // Capture phase: nothing the app does later can stop or delay it.
  document.addEventListener('click', onClick, true);
  document.addEventListener('keydown', onKeyDown, true);
  // Blank a page that is being frozen into the back-forward cache, so no chat shows if it comes back; only
  // then, because a restore always fires pageshow (persisted) below, which shows the emptied page again.
  // Nothing is stored here, by design.
  window.addEventListener('pagehide', (e) => {
    if (e.persisted) hidePage();
  });
  window.addEventListener('pageshow', (e) => {
    if (!e.persisted) {
      showPage();
      return;
    }
    try {
      wipeHook?.();
    } finally {
      restoreHook?.();
      showPage();
    }
  });
  // Marks the moment Exit does more than follow its link (bench/resident-budget.ts measures it).
  document.documentElement.dataset.exitReady = '1';
}

/** Follows the UI language; the hidden prefix tells screen readers what the short word is for. */
export function setQuickExitLabel(hiddenPrefix: string, visible: string): void {
  const link = document.getElementById('quick-exit');
  if (!link) return;
  const hidden = link.querySelector('.visually-hidden');
  if (hidden) hidden.textContent = hiddenPrefix;
  const last = link.lastChild;
  if (last && last.nodeType === Node.TEXT_NODE) last.textContent = visible;
  else link.append(visible);
}

// This module is also the page's first script, a tiny async entry of its own (vite.config.ts): it attaches
// as soon as it arrives, without waiting for the app bundle, the stylesheet or the end of parsing.
if (typeof document !== 'undefined') attachQuickExit();
