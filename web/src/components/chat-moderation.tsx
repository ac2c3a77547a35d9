import { useEffect, useRef, useState } from "preact/hooks";
import type { RoomModes } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import type { ChatLine } from "./chat-line";
import { ReportButton } from "./report-button";
import { RoleBadges } from "./role-badges";

/** Room modes for the broadcaster and moderators: every change is a `mod` frame (docs/realtime-protocol.md). */
export function ModPanel({ modes, run }: { modes: RoomModes; run: (frame: Record<string, unknown>) => Promise<void> }) {
  const mod = (action: string, fields: Record<string, unknown>) => run({ type: "mod", action, ...fields });
  return (
    <div class="mod-panel" role="group" aria-label="Chat moderation">
      <label class="row">
        Slow mode
        <select
          value={String(modes.slowModeS)}
          onChange={(e) => void mod("slow", { seconds: Number((e.currentTarget as HTMLSelectElement).value) })}
        >
          {[0, 3, 5, 10, 30, 60, 120].map((s) => (
            <option key={s} value={String(s)}>
              {s === 0 ? "Off" : `${s} s`}
            </option>
          ))}
        </select>
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={modes.followersOnly}
          onChange={(e) => void mod("followersOnly", { enabled: (e.currentTarget as HTMLInputElement).checked })}
        />
        Followers only
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={modes.emoteOnly}
          onChange={(e) => void mod("emoteOnly", { enabled: (e.currentTarget as HTMLInputElement).checked })}
        />
        Emote only
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={modes.uniqueChat}
          onChange={(e) => void mod("uniqueChat", { enabled: (e.currentTarget as HTMLInputElement).checked })}
        />
        Unique chat
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={modes.linksAllowed}
          onChange={(e) => void mod("links", { allowed: (e.currentTarget as HTMLInputElement).checked })}
        />
        Links allowed
      </label>
    </div>
  );
}

interface UserCardProps {
  line: ChatLine;
  channelId: string;
  ownerId: string;
  canModerate: boolean;
  isBroadcaster: boolean;
  run(frame: Record<string, unknown>): Promise<void>;
  close(): void;
}

/** What one can do about a chatter: block them (anyone), time out/ban (mods), make them a moderator (broadcaster). */
export function ChatUserCard({ line, channelId, ownerId, canModerate, isBroadcaster, run, close }: UserCardProps) {
  const me = currentUser.value;
  const [note, setNote] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), [line.id]);
  const userId = line.userId;
  const isSelf = userId === me?.id;
  const isOwner = userId === ownerId;

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setNote(done);
    } catch (err) {
      setNote(describeError(err));
    }
  };

  return (
    <div
      class="user-card"
      role="dialog"
      aria-label={`${line.username}`}
      onKeyDown={(e) => e.key === "Escape" && close()}
    >
      <div class="row" style={{ justifyContent: "space-between" }}>
        {userId ? (
          <a href={`/u/${encodeURIComponent(userId)}`} data-testid="profile-link">
            <strong>{line.username}</strong> <RoleBadges userId={userId} />
          </a>
        ) : (
          <strong>{line.username}</strong>
        )}
        <button ref={first} class="btn small ghost" onClick={close} aria-label="Close">
          ✕
        </button>
      </div>
      {userId && me && !isSelf && (
        <div class="row">
          <button
            class="btn small"
            onClick={() =>
              void act(
                () => api("put /api/v1/me/blocks/{userId}", { path: { userId } }),
                `${line.username} is blocked.`,
              )
            }
          >
            Block
          </button>
          {canModerate && !isOwner && (
            <>
              <button
                class="btn small"
                onClick={() => void run({ type: "mod", action: "timeout", userId, durationS: 600 }).then(close)}
              >
                Time out 10 min
              </button>
              <button
                class="btn small danger"
                onClick={() => void run({ type: "mod", action: "ban", userId }).then(close)}
              >
                Ban
              </button>
              <button class="btn small" onClick={() => void run({ type: "mod", action: "unban", userId }).then(close)}>
                Unban
              </button>
            </>
          )}
          {isBroadcaster && !isOwner && (
            <button
              class="btn small"
              onClick={() =>
                void act(
                  () => api("put /api/v1/channels/{id}/moderators/{userId}", { path: { id: channelId, userId } }),
                  `${line.username} is now a moderator.`,
                )
              }
            >
              Make moderator
            </button>
          )}
        </div>
      )}
      {userId && me && !isSelf && (
        <div class="row">
          <ReportButton target={{ kind: "chat_message", id: line.id, channelId }} label="Report message" />
          <ReportButton target={{ kind: "user", id: userId }} label="Report user" />
        </div>
      )}
      {note && (
        <p class="muted" role="status">
          {note}
        </p>
      )}
    </div>
  );
}
