// Every Redis key name of the ephemeral store, built in one place. Anything keyed by a ticket or chat is
// resident-related and must carry a TTL (the e2e, reconnect and queue-lifecycle tests scan for keys without one).

export interface KeySpace {
  readonly prefix: string;
  ticket(ticketId: string): string;
  resume(tokenHash: string): string;
  line(): string;
  /** Tickets that joined and wait for the triage worker to place them in the line. */
  triage(): string;
  chat(chatId: string): string;
  relay(chatId: string, direction: 'r2c' | 'c2r'): string;
  load(counsellorId: string): string;
  /** The one pending transfer offer of a chat (hash: offer id, sender, recipient, sealed note), short TTL. */
  transfer(chatId: string): string;
  /** Offer id -> chat id, so the recipient answers by offer id without learning more; same TTL. */
  transferOffer(offerId: string): string;
  /** Counsellors on shift: zset counsellorId -> last heartbeat (ms). */
  shift(): string;
  /** A counsellor's shift details: association, languages, capacity, availability. */
  counsellorShift(counsellorId: string): string;
  /** Recent chat handling times (ms) per association, for the wait estimate. */
  handleTimes(association: string): string;
  /** What a delayed job is about (ticket or chat id), kept beside BullMQ with a TTL so job data stays empty. */
  jobRef(jobId: string): string;
  /** BullMQ's own prefix, so a test can find the job keys it created. */
  bull(): string;
  /** Socket.IO Redis adapter channel; server nodes and workers' emitters share it. */
  adapter(): string;
  /** Counsellors of an association who left the shift lately: zset counsellorId -> left at (ms); the board shows them offline. */
  shiftLeft(association: string): string;
  /** Anonymous counts of one minute (refusals, abandons, answers and their waits), kept an hour for the board. */
  recentCounts(association: string, minuteMs: number): string;
  /** Anonymous counts of one day in Milan (YYYY-MM-DD), kept two days for the board. */
  dayCounts(association: string, day: string): string;
  /** An association's last board snapshot (JSON, short TTL). */
  board(association: string): string;
  /** Taken by the one node that computes the board in period `slot`. */
  boardLock(association: string, slot: number): string;
  /** What the board last saw of each counsellor (state and since), so time in state survives a change of computing node. */
  boardSeen(association: string): string;
}

export function keySpace(prefix: string): KeySpace {
  return {
    prefix,
    ticket: (id) => `${prefix}t:${id}`,
    resume: (hash) => `${prefix}r:${hash}`,
    line: () => `${prefix}line`,
    triage: () => `${prefix}triage`,
    chat: (id) => `${prefix}c:${id}`,
    relay: (id, dir) => `${prefix}c:${id}:${dir}`,
    load: (id) => `${prefix}load:${id}`,
    transfer: (id) => `${prefix}x:${id}`,
    transferOffer: (id) => `${prefix}xo:${id}`,
    shift: () => `${prefix}shift`,
    counsellorShift: (id) => `${prefix}cs:${id}`,
    handleTimes: (a) => `${prefix}handle:${a}`,
    jobRef: (jobId) => `${prefix}jr:${jobId}`,
    bull: () => `${prefix}bull`,
    adapter: () => `${prefix}sio`,
    shiftLeft: (a) => `${prefix}shift-left:${a}`,
    // Under `agg:` with the other anonymous counts (the tests' resident-state scans leave `agg` keys out).
    recentCounts: (a, minute) => `${prefix}agg:recent:${a}:${minute}`,
    dayCounts: (a, day) => `${prefix}agg:day:${a}:${day}`,
    board: (a) => `${prefix}board:${a}`,
    boardLock: (a, slot) => `${prefix}board:${a}:lock:${slot}`,
    boardSeen: (a) => `${prefix}board:${a}:seen`,
  };
}
