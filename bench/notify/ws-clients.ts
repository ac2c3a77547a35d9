/**
 * Child process of bench:notify: opens one WebSocket per user id (stand-in
 * tokens), and for each round reports when every socket got the round's
 * notification frame. Kept out of the server's process so 5,000 sockets do
 * not share its event loop.
 */
import WebSocket from "ws";

interface Start {
  kind: "start";
  url: string;
  userIds: string[];
}
interface Expect {
  kind: "expect";
  marker: string;
}
interface Collect {
  kind: "collect";
  marker: string;
}
type Command = Start | Expect | Collect;

const arrivals = new Map<string, { count: number; withBadge: number; lastAt: number }>();
const sockets: WebSocket[] = [];

function onFrame(raw: string): void {
  const parsed = JSON.parse(raw) as unknown;
  for (const f of Array.isArray(parsed) ? parsed : [parsed]) {
    const frame = f as {
      type?: string;
      unreadCount?: number;
      notification?: { data?: { marker?: string; sessionId?: string } };
    };
    if (frame.type !== "notification") continue;
    const data = frame.notification?.data;
    const marker = data?.marker ?? data?.sessionId;
    const slot = marker ? arrivals.get(marker) : undefined;
    if (!slot) continue;
    slot.count++;
    if (typeof frame.unreadCount === "number") slot.withBadge++;
    slot.lastAt = Date.now();
  }
}

async function open(url: string, userId: string): Promise<void> {
  const ws = new WebSocket(url, ["arena.v1", `bearer.tok.${userId}.${userId}`]);
  sockets.push(ws);
  ws.on("message", (data) => onFrame(data.toString()));
  ws.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
}

process.on("message", async (cmd: Command) => {
  if (cmd.kind === "start") {
    for (let i = 0; i < cmd.userIds.length; i += 200)
      await Promise.all(cmd.userIds.slice(i, i + 200).map((id) => open(cmd.url, id)));
    process.send?.({ kind: "ready", open: sockets.length });
  } else if (cmd.kind === "expect") {
    arrivals.set(cmd.marker, { count: 0, withBadge: 0, lastAt: 0 });
    process.send?.({ kind: "expecting" });
  } else if (cmd.kind === "collect") {
    process.send?.({ kind: "collected", ...(arrivals.get(cmd.marker) ?? { count: 0, withBadge: 0, lastAt: 0 }) });
  }
});

process.on("disconnect", () => {
  for (const ws of sockets) ws.terminate();
  process.exit(0);
});
