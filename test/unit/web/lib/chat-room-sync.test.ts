import { mergeById, openChatRoom, type HistoryPage, type SyncLine } from "../../../../web/src/lib/chat-room-sync";

interface Line extends SyncLine {
  text: string;
}
/** The frames of docs/realtime-protocol.md that the sync reads, as the gateway sends them. */
type Frame =
  | { type: "joined"; room: string; role: string; viewerCount: number }
  | { type: "msg"; id: string; room: string; user: { id: string; username: string }; text: string; sentAt: number }
  | { type: "deleted"; room: string; messageId: string }
  | { type: "moderation"; room: string; change?: { action: string; userId?: string } };
type Listener = (frame: Frame) => void;

/**
 * A room as the gateway and the chat store behave: every message is stored
 * at once (the gateway stores what it accepted before answering `joined`),
 * members hear it live, a history read is a snapshot taken when the request
 * is made, a join takes effect when the test says so (the socket's round trip).
 */
class FakeRoom {
  private seq = 0;
  stored: Line[] = [];
  members = new Set<Listener>();
  pendingJoins: Listener[] = [];
  reads: Array<{ before: string | undefined; resolve: () => void }> = [];
  autoAnswer = true;

  send(text: string, userId = "u1"): Line {
    const line = { id: `m${String(++this.seq).padStart(6, "0")}`, userId, sentAt: 1000 + this.seq, text };
    this.stored.push(line);
    for (const m of this.members)
      m({ type: "msg", id: line.id, room: "r", user: { id: userId, username: userId }, text, sentAt: line.sentAt });
    return line;
  }

  join = (listener: Listener) => {
    this.pendingJoins.push(listener);
    return () => this.members.delete(listener);
  };

  completeJoins(): void {
    for (const l of this.pendingJoins.splice(0)) {
      this.members.add(l);
      l({ type: "joined", room: "r", role: "viewer", viewerCount: this.members.size });
    }
  }

  /** The socket drops (members lose the room) and the client rejoins on reconnect. */
  drop(): Listener[] {
    const gone = [...this.members];
    this.members.clear();
    return gone;
  }

  fetchHistory = (before: string | undefined, signal: AbortSignal): Promise<HistoryPage<Line>> => {
    const older = this.stored.filter((l) => before === undefined || l.id < before);
    const items = older.slice(-3);
    const page = { items, nextBefore: older.length > 3 ? items[0]!.id : null };
    return new Promise((resolve, reject) => {
      const answer = () => (signal.aborted ? reject(new Error("aborted")) : resolve(page));
      if (this.autoAnswer) queueMicrotask(answer);
      else this.reads.push({ before, resolve: answer });
    });
  };
}

function open(room: FakeRoom, maxLines = 100) {
  const seen: { lines: Line[]; older: string | null } = { lines: [], older: null };
  const sync = openChatRoom<Line, Frame>({
    join: room.join,
    fetchHistory: room.fetchHistory,
    fromFrame: (f) => (f.type === "msg" ? { id: f.id, userId: f.user.id, sentAt: f.sentAt, text: f.text } : undefined),
    onLines: (lines, older) => Object.assign(seen, { lines, older }),
    maxLines,
    now: () => 1_000_000,
  });
  return { sync, seen, texts: () => seen.lines.map((l) => l.text) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("web chat: join first, then read the history, merged by message id", () => {
  it("keeps a message sent after the page opens but before the join completes", async () => {
    const room = new FakeRoom();
    room.send("before");
    const { texts } = open(room);
    // Sent while the join is on its way: the socket will never deliver it. A history read made
    // when the page opened would not hold it either; the one made after `joined` does.
    room.send("between");
    room.completeJoins();
    room.send("after");
    await settle();
    expect(texts()).toEqual(["before", "between", "after"]);
  });

  it("does not read the history before the room is joined", async () => {
    const room = new FakeRoom();
    room.autoAnswer = false;
    open(room);
    await settle();
    expect(room.reads).toHaveLength(0);
    room.completeJoins();
    expect(room.reads).toHaveLength(1);
  });

  it("live lines arriving while the history is read are kept once, in id order", async () => {
    const room = new FakeRoom();
    room.autoAnswer = false;
    room.send("one");
    const { texts } = open(room);
    room.completeJoins();
    room.send("two"); // after the snapshot: live only
    room.reads[0]!.resolve();
    await settle();
    expect(texts()).toEqual(["one", "two"]);
    // The same message from both sides stays one line.
    room.autoAnswer = true;
    room.drop().forEach((l) => room.join(l));
    room.completeJoins();
    await settle();
    expect(texts()).toEqual(["one", "two"]);
  });

  it("after a reconnect, the rejoin's history brings what was said while the socket was down", async () => {
    const room = new FakeRoom();
    const { texts } = open(room);
    room.completeJoins();
    room.send("a");
    const listeners = room.drop();
    room.send("missed 1");
    room.send("missed 2");
    listeners.forEach((l) => room.join(l));
    room.completeJoins();
    await settle();
    expect(texts()).toEqual(["a", "missed 1", "missed 2"]);
  });

  it("a reconnect after a long gap starts from the newest page instead of leaving a hole", async () => {
    const room = new FakeRoom();
    const { texts, seen } = open(room);
    room.completeJoins();
    room.send("old");
    const listeners = room.drop();
    for (let i = 1; i <= 6; i++) room.send(`gap ${i}`);
    listeners.forEach((l) => room.join(l));
    room.completeJoins();
    await settle();
    expect(texts()).toEqual(["gap 4", "gap 5", "gap 6"]);
    expect(seen.older).toBe(seen.lines[0]!.id);
  });

  it("a message deleted while the history read is in flight does not come back with the page", async () => {
    const room = new FakeRoom();
    room.autoAnswer = false;
    const bad = room.send("spam");
    room.send("fine");
    const { texts } = open(room);
    room.completeJoins();
    for (const m of room.members) m({ type: "deleted", room: "r", messageId: bad.id });
    room.reads[0]!.resolve();
    await settle();
    expect(texts()).toEqual(["fine"]);
  });

  it("a ban removes the user's lines, including those in a page read before it", async () => {
    const room = new FakeRoom();
    room.autoAnswer = false;
    room.send("troll", "u2");
    room.send("hi", "u1");
    const { texts } = open(room);
    room.completeJoins();
    for (const m of room.members) m({ type: "moderation", room: "r", change: { action: "ban", userId: "u2" } });
    room.reads[0]!.resolve();
    await settle();
    expect(texts()).toEqual(["hi"]);
  });

  it("pages back with the oldest id; the live end keeps at most maxLines and can page the rest back in", async () => {
    const room = new FakeRoom();
    for (let i = 1; i <= 5; i++) room.send(`h${i}`);
    const { sync, texts, seen } = open(room, 4);
    room.completeJoins();
    await settle();
    expect(texts()).toEqual(["h3", "h4", "h5"]);
    await sync.loadOlder();
    expect(texts()).toEqual(["h1", "h2", "h3", "h4", "h5"]);
    expect(seen.older).toBeNull();
    room.send("live");
    expect(texts()).toEqual(["h3", "h4", "h5", "live"]);
    expect(seen.older).toBe(seen.lines[0]!.id);
    await sync.loadOlder();
    expect(texts()).toEqual(["h1", "h2", "h3", "h4", "h5", "live"]);
  });

  it("after close, nothing more is shown and the room is left", async () => {
    const room = new FakeRoom();
    const { sync, texts } = open(room);
    room.completeJoins();
    await settle();
    sync.close();
    room.send("later");
    expect(texts()).toEqual([]);
    expect(room.members.size).toBe(0);
  });

  it("mergeById: union, first copy wins, ordered by id", () => {
    const l = (id: string, text: string): Line => ({ id, userId: null, sentAt: 0, text });
    expect(mergeById([l("b", "B"), l("d", "D")], [l("a", "A"), l("d", "D2"), l("c", "C"), l("a", "A2")])).toEqual([
      l("a", "A"),
      l("b", "B"),
      l("c", "C"),
      l("d", "D"),
    ]);
  });
});
