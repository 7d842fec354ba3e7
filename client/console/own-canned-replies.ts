// Her association's own canned replies, as its supervisors edited them: fetched on every (re)connect and
// whenever she opens the picker, so an edit reaches her without a reload. Languages the association left out
// keep the console's built-in set (canned-replies.ts). Memory only.
import { Store } from '../shared/store.ts';
import type { Transport } from '../shared/transport.ts';
import type { CannedReplySet } from './canned-replies.ts';

export class OwnCannedReplies {
  readonly store = new Store<CannedReplySet>({});

  constructor(private readonly transport: () => Transport | null) {}

  async load(): Promise<void> {
    const t = this.transport();
    if (!t?.connected) return;
    const res = await t.request('counsellor:canned', {});
    // On failure the last set (or the built-in one) stays: canned replies are a convenience, never a blocker.
    if (res.ok && this.transport() === t && typeof res.data.replies === 'object' && res.data.replies !== null)
      this.store.set(res.data.replies);
  }

  reset(): void {
    this.store.set({});
  }
}
