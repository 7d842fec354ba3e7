// The wait estimate shown to a waiting resident: a range, never a promise.
//
// Rocket.Chat's baseline is ((position - 1) / N + 1) x H with N agents and H the mean handling time: it ignores
// that each counsellor takes several chats at once and that some slots may be free right now. Ours counts
// chat slots: with S slots on shift (sum of capacities of available counsellors who can take her), F of them
// free, and H the mean of recent handling times, the k-th resident in her line waits about
//   0 to 2 minutes         if k <= F (a slot is free: only the time to be picked),
//   (k - F) x H / S        otherwise (slots free up at S / H per minute),
// shown as [0.6 x, 1.5 x] rounded to whole minutes. Without counsellors on shift there is no estimate.

export interface EstimateInput {
  position: number;
  slots: number;
  freeSlots: number;
  /** Mean handling time in ms, or null when there is too little history (a default is used). */
  meanHandleMs: number | null;
}

export const DEFAULT_HANDLE_MS = 15 * 60_000;

export function estimateWait(i: EstimateInput): { lowMinutes: number; highMinutes: number } | null {
  if (i.slots <= 0) return null;
  if (i.position <= i.freeSlots) return { lowMinutes: 0, highMinutes: 2 };
  const h = i.meanHandleMs ?? DEFAULT_HANDLE_MS;
  const expectedMin = ((i.position - i.freeSlots) * h) / i.slots / 60_000;
  return { lowMinutes: Math.floor(0.6 * expectedMin), highMinutes: Math.max(1, Math.ceil(1.5 * expectedMin)) };
}

/** Rocket.Chat's formula, kept for the benchmark that compares both against observed waits. */
export function baselineWait(position: number, counsellors: number, meanHandleMs: number): number | null {
  if (counsellors <= 0) return null;
  return ((position - 1) / counsellors + 1) * meanHandleMs;
}
