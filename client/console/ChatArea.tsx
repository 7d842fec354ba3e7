// Her open chats as tabs (with unread counts and a marker when the resident left or lost her connection) and the
// selected chat's panel.
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { Outcome } from '../../protocol/events.ts';
import type { ChatSnapshot } from '../shared/chat-controller.ts';
import { Store } from '../shared/store.ts';
import { useStore } from '../shared/use-store.ts';
import type { CannedReplySet } from './canned-replies.ts';
import { ChatPanel } from './ChatPanel.tsx';
import type { ChatTab } from './console-controller.ts';
import { BANNER_TAB_MARKERS, bannerKey, URGENCY_LABELS } from './labels.ts';

// Tabs without keys still render through the same hook; this store never changes.
const NO_CHAT = new Store<ChatSnapshot | null>(null);

function TabButton(props: {
  tab: ChatTab;
  index: number;
  selected: boolean;
  onSelect: () => void;
  onKeyDown: (e: KeyboardEvent) => void;
  buttonRef: (el: HTMLButtonElement | null) => void;
}) {
  const { tab, index, selected, onSelect, onKeyDown, buttonRef } = props;
  const snap = useStore<ChatSnapshot | null>(tab.controller ? tab.controller.store : NO_CHAT);
  const unread = snap?.unread ?? 0;
  const key = tab.banner ? bannerKey(tab.banner) : null;
  const marker = key ? BANNER_TAB_MARKERS[key] : null;
  return (
    <button
      type="button"
      role="tab"
      ref={buttonRef}
      id={`tab-${tab.chatId}`}
      aria-selected={selected}
      aria-controls={`panel-${tab.chatId}`}
      tabIndex={selected ? 0 : -1}
      className={`chat-tab status-${tab.status}${tab.unseen ? ' chat-tab--unseen' : ''}`}
      data-testid="chat-tab"
      data-chat-id={tab.chatId}
      data-unread={unread}
      data-unseen={tab.unseen}
      data-banner={key ?? ''}
      onClick={onSelect}
      onKeyDown={onKeyDown}
    >
      Chat {index + 1} · {URGENCY_LABELS[tab.entry.urgency]}
      {marker ? <span className={`tab-marker tab-marker--${key}`}> · {marker}</span> : tab.status === 'ended' && ' · ended'}
      {tab.unseen && <span className="new-chat"> · new</span>}
      {unread > 0 && (
        <span className="badge">
          {unread}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </button>
  );
}

export function ChatArea(props: {
  tabs: readonly ChatTab[];
  activeChatId: string | null;
  onSelect: (chatId: string) => void;
  onEnd: (chatId: string, outcome: Outcome) => void;
  onClose: (chatId: string) => void;
  /** The transfer button, dialog and status of a chat (TransferDialog.tsx). */
  renderTransfer?: (tab: ChatTab) => ReactNode;
  /** Her association's own canned replies; the built-in set where it has none. */
  cannedReplies?: CannedReplySet;
  onCannedOpen?: () => void;
}) {
  const { tabs, activeChatId, onSelect, onEnd, onClose, renderTransfer, cannedReplies, onCannedOpen } = props;
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const active = tabs.find((t) => t.chatId === activeChatId) ?? null;

  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves into the panel.
  const onKeyDown = (index: number) => (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0 || tabs.length === 0) return;
    e.preventDefault();
    const rtl = document.documentElement.dir === 'rtl' ? -1 : 1;
    const next = tabs[(index + step * rtl + tabs.length) % tabs.length];
    if (!next) return;
    onSelect(next.chatId);
    buttons.current.get(next.chatId)?.focus();
  };

  if (tabs.length === 0) {
    return (
      <section className="chats chats--empty" aria-label="Chats">
        <p className="muted">No open chats. Take someone from the line.</p>
      </section>
    );
  }

  return (
    <section className="chats" aria-label="Chats">
      <div role="tablist" aria-label="Open chats" className="chat-tabs">
        {tabs.map((tab, i) => (
          <TabButton
            key={tab.chatId}
            tab={tab}
            index={i}
            selected={tab.chatId === activeChatId}
            onSelect={() => onSelect(tab.chatId)}
            onKeyDown={onKeyDown(i)}
            buttonRef={(el) => {
              if (el) buttons.current.set(tab.chatId, el);
              else buttons.current.delete(tab.chatId);
            }}
          />
        ))}
      </div>
      {active && (
        <div role="tabpanel" id={`panel-${active.chatId}`} aria-labelledby={`tab-${active.chatId}`} className="chat-panel-wrap">
          <ChatPanel
            key={active.chatId}
            tab={active}
            onEnd={(outcome) => onEnd(active.chatId, outcome)}
            onClose={() => onClose(active.chatId)}
            transfer={renderTransfer?.(active)}
            cannedReplies={cannedReplies}
            onCannedOpen={onCannedOpen}
          />
        </div>
      )}
    </section>
  );
}
