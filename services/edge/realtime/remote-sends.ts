import { messageIdNodeTag } from "./message-ids";
import { duplicateKey } from "./message-gate";
import type { ChatMessage } from "./protocol";
import type { RoomRegistry } from "./room-registry";
import type { Socket } from "./socket-data";

/**
 * A message accepted by another node counts against its sender here too
 * (rate limit, slow mode, duplicates), so a user's allowance follows them
 * across nodes without a network round trip per message: every node with
 * members in the room already hears the room's subject. Only messages of
 * other nodes are parsed; this node recorded its own when it accepted them.
 */
export function countRemoteSend(rooms: RoomRegistry<Socket>, nodeTag: string, roomId: string, payload: string): void {
  if (!payload.startsWith('{"type":"msg"')) return;
  const room = rooms.get(roomId);
  if (!room) return;
  let message: Partial<ChatMessage>;
  try {
    message = JSON.parse(payload) as Partial<ChatMessage>;
  } catch {
    return;
  }
  if (typeof message.id !== "string" || messageIdNodeTag(message.id) === nodeTag) return;
  if (typeof message.user?.id !== "string" || typeof message.text !== "string") return;
  room.senders.record(message.user.id, duplicateKey(message.text), Date.now());
}
