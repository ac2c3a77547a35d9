import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ChatMessage, RoomModes } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { openChatRoom, type ChatRoomSync } from "../lib/chat-room-sync";
import { timeAgo } from "../lib/format";
import { chatErrorText, type RoomRole, type ServerFrame } from "../realtime/protocol";
import { RealtimeError, realtime } from "../realtime/socket";
import type { ChatLine } from "./chat-line";
import { ChatUserCard, ModPanel } from "./chat-moderation";
import { RoleBadges } from "./role-badges";

/**
 * Live chat beside the player: the room over the realtime socket, then its
 * history (REST) merged in (lib/chat-room-sync.ts); send, emotes as text, moderation for the broadcaster
 * and moderators, the server's refusals shown inline, and a reconnect banner
 * while the socket is down (the socket reconnects with backoff on its own).
 */
const MAX_LINES = 300;

export interface ChatProps {
  channelId: string;
  ownerId: string;
  onViewers(count: number): void;
}

const fromHistory = (m: ChatMessage): ChatLine => ({
  id: m.id,
  userId: m.user.id,
  username: m.user.username,
  badges: m.user.badges,
  text: m.text,
  sentAt: Date.parse(m.sentAt),
});

export function Chat({ channelId, ownerId, onViewers }: ChatProps) {
  const user = currentUser.value;
  const [lines, setLines] = useState<ChatLine[]>([]);
  const [older, setOlder] = useState<string | null>(null);
  const [role, setRole] = useState<RoomRole>("anonymous");
  const [modes, setModes] = useState<RoomModes | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [selected, setSelected] = useState<ChatLine | null>(null);
  const [showMod, setShowMod] = useState(false);
  const [stuck, setStuck] = useState(true);
  const log = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const viewers = useRef(onViewers);
  viewers.current = onViewers;
  const connection = realtime.state.value;
  const canModerate = role === "broadcaster" || role === "moderator" || role === "admin";

  const room = useRef<ChatRoomSync | null>(null);

  useEffect(() => {
    setLines([]);
    setOlder(null);
    setError(null);
    // Join first, then read the history (chat-room-sync.ts): a message sent in between is never lost.
    const sync = openChatRoom<ChatLine, ServerFrame>({
      join: (listener) => realtime.joinRoom(channelId, listener),
      fetchHistory: (before, signal) =>
        api("get /api/v1/channels/{channelId}/chat/messages", {
          path: { channelId },
          query: before ? { limit: 50, before } : { limit: 50 },
          signal,
        }).then((page) => ({ items: page.items.map(fromHistory), nextBefore: page.nextBefore })),
      fromFrame: (frame) =>
        frame.type === "msg"
          ? {
              id: frame.id,
              userId: frame.user.id,
              username: frame.user.username,
              badges: frame.user.badges,
              text: frame.text,
              sentAt: frame.sentAt,
            }
          : undefined,
      onLines: (next, cursor) => {
        setLines(next);
        setOlder(cursor);
      },
      onHistoryError: (err) => setError(`History unavailable: ${describeError(err)}`),
      onFrame: (frame) => {
        switch (frame.type) {
          case "joined":
            setRole(frame.role);
            setModes(frame.modes);
            viewers.current(frame.viewerCount);
            break;
          case "moderation":
            setModes(frame.modes);
            break;
          case "viewers":
            viewers.current(frame.count);
            break;
          case "error":
            setError(chatErrorText(frame.code, frame.message, frame.retryAfterMs));
            break;
        }
      },
      maxLines: MAX_LINES,
    });
    room.current = sync;
    return () => {
      room.current = null;
      sync.close();
    };
  }, [channelId, user?.id]);

  // Follow the newest line unless the reader scrolled up.
  useLayoutEffect(() => {
    const el = log.current;
    if (el && stuck) el.scrollTop = el.scrollHeight;
  }, [lines, stuck]);

  const loadOlder = async () => {
    try {
      await room.current?.loadOlder();
    } catch (err) {
      setError(describeError(err));
    }
  };

  const send = async (e: Event) => {
    e.preventDefault();
    const body = text.trim();
    if (!body || sending) return;
    setSending(true);
    setError(null);
    // Clear at once so typing the next message never races the ack; a refused message comes back to the box.
    setText("");
    try {
      await realtime.request({ type: "send", room: channelId, text: body });
      setStuck(true);
    } catch (err) {
      setText((current) => current || body);
      setError(err instanceof RealtimeError ? chatErrorText(err.code, err.message, err.retryAfterMs) : String(err));
    } finally {
      setSending(false);
      input.current?.focus();
    }
  };

  const moderate = async (frame: Record<string, unknown>) => {
    setError(null);
    try {
      await realtime.request({ room: channelId, ...frame });
    } catch (err) {
      setError(err instanceof RealtimeError ? chatErrorText(err.code, err.message) : describeError(err));
    }
  };

  return (
    <aside class="chat" aria-label="Live chat">
      <div class="chat-head">
        <span>Stream chat</span>
        {canModerate && (
          <button class="btn small ghost" aria-expanded={showMod} onClick={() => setShowMod(!showMod)}>
            Mod tools
          </button>
        )}
      </div>
      {connection === "reconnecting" && (
        <div class="chat-status" role="status">
          Reconnecting to chat…
          <button class="btn small" onClick={() => realtime.connectNow()}>
            Retry now
          </button>
        </div>
      )}
      {modes && <ModeChips modes={modes} />}
      {showMod && canModerate && modes && <ModPanel modes={modes} run={moderate} />}
      <div
        ref={log}
        class="chat-scroll"
        role="log"
        aria-live="polite"
        aria-label="Chat messages"
        tabIndex={0}
        data-testid="chat-log"
        onScroll={(e) => {
          const el = e.currentTarget as HTMLDivElement;
          setStuck(el.scrollHeight - el.scrollTop - el.clientHeight < 40);
        }}
      >
        <ol class="chat-log">
          {older && (
            <li class="system">
              <button class="linklike" onClick={() => void loadOlder()}>
                Load older messages
              </button>
            </li>
          )}
          {lines.length === 0 && <li class="system">Welcome to the chat! Say hi.</li>}
          {lines.map((line) => (
            <li key={line.id} data-testid="chat-line">
              {line.badges.map((b) => (
                <span key={b} class={`chat-badge ${b}`} title={b}>
                  {b.slice(0, 3).toUpperCase()}
                </span>
              ))}
              {line.userId && <RoleBadges userId={line.userId} skip={["creator"]} />}
              <button
                class="chat-user"
                style={{ color: nameColor(line.username) }}
                onClick={() => setSelected(line)}
                aria-label={`${line.username}: options`}
              >
                {line.username}
              </button>
              <span aria-hidden="true">: </span>
              <MessageText text={line.text} />
              <span class="sr-only">, {timeAgo(line.sentAt)}</span>
              {canModerate && line.userId !== ownerId && (
                <span class="msg-tools">
                  <button
                    onClick={() => void moderate({ type: "delete", messageId: line.id })}
                    aria-label="Delete message"
                  >
                    Delete
                  </button>
                  {line.userId && line.userId !== user?.id && (
                    <button
                      onClick={() =>
                        void moderate({ type: "mod", action: "timeout", userId: line.userId, durationS: 600 })
                      }
                      aria-label={`Time out ${line.username} for 10 minutes`}
                    >
                      10m
                    </button>
                  )}
                </span>
              )}
            </li>
          ))}
        </ol>
      </div>
      {!stuck && (
        <button class="btn small" onClick={() => setStuck(true)}>
          New messages below ↓
        </button>
      )}
      {selected && (
        <ChatUserCard
          line={selected}
          channelId={channelId}
          ownerId={ownerId}
          canModerate={canModerate}
          isBroadcaster={role === "broadcaster" || role === "admin"}
          run={moderate}
          close={() => setSelected(null)}
        />
      )}
      <form class="chat-form" onSubmit={send}>
        {error && (
          <div class="chat-error" role="alert" data-testid="chat-error">
            {error}
          </div>
        )}
        {user ? (
          <div class="row">
            <label class="sr-only" for="chat-input">
              Send a message
            </label>
            <input
              id="chat-input"
              ref={input}
              value={text}
              maxLength={500}
              placeholder={connection === "open" ? "Send a message" : "Connecting…"}
              autoComplete="off"
              onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
            />
            <button class="btn primary" type="submit" disabled={sending || !text.trim() || connection !== "open"}>
              Chat
            </button>
          </div>
        ) : (
          <p class="muted">
            <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</a> to chat.
          </p>
        )}
      </form>
    </aside>
  );
}

function ModeChips({ modes }: { modes: RoomModes }) {
  const on: string[] = [];
  if (modes.slowModeS > 0) on.push(`Slow mode ${modes.slowModeS}s`);
  if (modes.followersOnly) on.push("Followers only");
  if (modes.uniqueChat) on.push("Unique chat");
  if (modes.emoteOnly) on.push("Emote only");
  if (!modes.linksAllowed) on.push("No links");
  if (on.length === 0) return null;
  return (
    <div class="chat-modes" aria-label="Chat modes">
      {on.map((m) => (
        <span key={m} class="status-tag">
          {m}
        </span>
      ))}
    </div>
  );
}

/** Plain text, with :emote: codes set apart; never parsed as HTML. */
function MessageText({ text }: { text: string }) {
  const parts = text.split(/(:[a-z0-9_]{2,32}:)/gi);
  return (
    <span class="msg-text">
      {parts.map((part, i) =>
        /^:[a-z0-9_]{2,32}:$/i.test(part) ? (
          <span key={i} class="emote">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </span>
  );
}

const NAME_COLORS = ["#a78bfa", "#22d3ee", "#f472b6", "#34d399", "#fbbf24", "#60a5fa", "#fb923c", "#c084fc"];
function nameColor(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 33 + name.charCodeAt(i)) >>> 0;
  return NAME_COLORS[h % NAME_COLORS.length] as string;
}
