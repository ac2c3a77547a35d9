/**
 * A chat room's lines on screen: the socket's live messages and the REST
 * history merged into one list without a gap or a duplicate.
 *
 * Order matters: a history page read before the join completes misses
 * whatever is sent between the read and the join (it is in neither the page
 * nor the socket). So the room is joined first, live messages are kept from
 * then on, and the history is read only after each `joined` frame (the first
 * join and every rejoin after a reconnect), then merged by message id. The
 * gateway stores everything it accepted before answering `joined`
 * (services/edge/realtime/room-frames.ts), so that page holds every message the socket missed.
 * Message ids are fixed-width and time-ordered (services/edge/realtime/message-ids.ts),
 * so sorting by id is sorting by time and `before=<oldest id>` pages back.
 */

/**
 * The frames the sync reads (a subset of realtime/protocol.ts's ServerFrame,
 * restated so this module and its unit test need no DOM-typed import).
 */
type Deleted = { type: "deleted"; messageId: string };
type Moderation = { type: "moderation"; change?: { action: string; userId?: string } };
const isDeleted = <F extends { type: string }>(f: F): f is F & Deleted => f.type === "deleted";
const isModeration = <F extends { type: string }>(f: F): f is F & Moderation => f.type === "moderation";

export interface SyncLine {
  id: string;
  userId: string | null;
  sentAt: number;
}

export interface HistoryPage<L> {
  items: L[];
  nextBefore: string | null;
}

export interface ChatRoomSyncOptions<L extends SyncLine, F extends { type: string }> {
  /** Joins the room (realtime.joinRoom bound to it); returns the leave function. */
  join(listener: (frame: F) => void): () => void;
  /** The newest history page (oldest first), or the page before `before`. */
  fetchHistory(before: string | undefined, signal: AbortSignal): Promise<HistoryPage<L>>;
  /** A live `msg` frame as a line (undefined: not a message after all). */
  fromFrame(frame: F): L | undefined;
  /** The lines changed; `older` is the cursor for older messages (null: nothing older). */
  onLines(lines: L[], older: string | null): void;
  /** Every frame, after the sync has applied it (role, modes, viewer count, errors). */
  onFrame?(frame: F): void;
  onHistoryError?(err: unknown): void;
  /** Most lines kept while following the live end (older ones can be paged back in). */
  maxLines?: number;
  now?(): number;
}

export interface ChatRoomSync {
  /** Pages one step further back (the "Load older messages" button). */
  loadOlder(): Promise<void>;
  close(): void;
}

const byId = <L extends SyncLine>(a: L, b: L) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Union by id, ordered by id; a line already present keeps its first copy. */
export function mergeById<L extends SyncLine>(current: readonly L[], incoming: readonly L[]): L[] {
  const seen = new Set(current.map((l) => l.id));
  const fresh = incoming.filter((l) => !seen.has(l.id) && seen.add(l.id));
  if (fresh.length === 0) return current.slice();
  return [...current, ...fresh].sort(byId);
}

export function openChatRoom<L extends SyncLine, F extends { type: string }>(
  opts: ChatRoomSyncOptions<L, F>,
): ChatRoomSync {
  const max = opts.maxLines ?? 300;
  const now = opts.now ?? Date.now;
  let lines: L[] = [];
  // undefined until the first page: then the id to page back from, or null at the room's beginning.
  let older: string | null | undefined;
  let closed = false;
  let latest: AbortController | undefined;
  // What moderation removed while a history read was in flight must not come back with that page.
  const deleted = new Set<string>();
  const purged = new Map<string, number>();

  const visible = (l: L) => !deleted.has(l.id) && !(l.userId && l.sentAt <= (purged.get(l.userId) ?? -Infinity));

  const emit = () => {
    if (!closed) opts.onLines(lines, older ?? null);
  };

  /** Keeps the newest `max` lines; what is cut can be paged back in from the oldest kept id. */
  const trim = () => {
    if (lines.length <= max) return;
    lines = lines.slice(-max);
    older = lines[0]!.id;
  };

  const newestPage = async () => {
    latest?.abort();
    const ctl = (latest = new AbortController());
    try {
      const page = await opts.fetchHistory(undefined, ctl.signal);
      if (ctl.signal.aborted || closed) return;
      const items = page.items.filter(visible);
      const newest = lines[lines.length - 1];
      const first = page.items[0];
      // A long disconnect: the page does not reach back to what is on screen, so the two cannot be joined
      // without a hole in the middle. Start over from the page (every line on screen is older than it).
      const gap = newest && first && page.nextBefore !== null && first.id > newest.id;
      if (gap || older === undefined) older = page.nextBefore;
      lines = mergeById(gap ? [] : lines, items);
      trim();
      emit();
    } catch (err) {
      if (!ctl.signal.aborted && !closed) opts.onHistoryError?.(err);
    }
  };

  const leave = opts.join((frame) => {
    if (frame.type === "joined") {
      void newestPage();
    } else if (frame.type === "msg") {
      const line = opts.fromFrame(frame);
      if (line) {
        lines = mergeById(lines, [line].filter(visible));
        trim();
        emit();
      }
    } else if (isDeleted(frame)) {
      deleted.add(frame.messageId);
      lines = lines.filter((l) => l.id !== frame.messageId);
      emit();
    } else if (isModeration(frame)) {
      const change = frame.change;
      if (change?.userId && (change.action === "ban" || change.action === "timeout")) {
        purged.set(change.userId, now());
        lines = lines.filter(visible);
        emit();
      }
    }
    opts.onFrame?.(frame);
  });

  return {
    async loadOlder() {
      if (!older) return;
      const page = await opts.fetchHistory(older, new AbortController().signal);
      if (closed) return;
      lines = mergeById(lines, page.items.filter(visible));
      older = page.nextBefore;
      emit();
    },
    close() {
      closed = true;
      latest?.abort();
      leave();
    },
  };
}
