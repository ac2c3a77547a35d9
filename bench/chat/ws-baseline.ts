/**
 * The baseline: the fan-out server most Node chat backends start as. One
 * `ws` server, every socket in one room, each chat message serialized once
 * and sent to every socket with ws.send().
 */
import { WebSocketServer, WebSocket } from "ws";
import type { ServerEvent } from "./bench-protocol";

const port = Number(process.env.PORT ?? 0);
const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false, backlog: 4096 });
const room = new Set<WebSocket>();
let seq = 0;

wss.on("connection", (ws) => {
  room.add(ws);
  ws.on("close", () => room.delete(ws));
  ws.on("error", () => undefined);
  ws.on("message", (data) => {
    let frame: { type?: string; room?: string; text?: string; cid?: string };
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return ws.close(4000, "malformed");
    }
    if (frame.type === "join") return ws.send(JSON.stringify({ type: "joined", room: frame.room, cid: frame.cid }));
    if (frame.type !== "send" || typeof frame.text !== "string") return;
    const message = JSON.stringify({
      type: "msg",
      id: String(++seq),
      room: frame.room,
      user: { id: "pub", username: "pub", badges: [] },
      text: frame.text,
      sentAt: Date.now(),
    });
    for (const client of room) if (client.readyState === WebSocket.OPEN) client.send(message);
    ws.send(JSON.stringify({ type: "ack", cid: frame.cid }));
  });
});

wss.on("listening", () => {
  const address = wss.address();
  const event: ServerEvent = { ev: "listening", port: typeof address === "object" && address ? address.port : port };
  process.send?.(event);
});
