import type { RealtimeBackend } from "./realtime-backend";
import type { RealtimeSettings } from "./realtime-settings";
import type { ServerFrame } from "./protocol";
import type { RoomRegistry } from "./room-registry";
import type { Socket } from "./socket-data";
import type { ViewerCountStore } from "./viewer-counts";

/**
 * One viewer-count tick of the gateway: this node's counts go to the shared
 * store, and each room whose total changed hears it; the node the store names
 * leader of a room records a viewer sample at most once per viewerSampleMs.
 */
export async function syncViewerCounts(
  rooms: RoomRegistry<Socket>,
  deps: { viewers: ViewerCountStore; backend: RealtimeBackend; settings: RealtimeSettings },
  pushToRoom: (room: string, frame: ServerFrame) => void,
): Promise<void> {
  const totals = await deps.viewers.sync(rooms.localCounts());
  const now = Date.now();
  for (const [roomId, total] of totals) {
    const room = rooms.get(roomId);
    if (!room || room.members.size === 0) continue;
    if (total.viewerCount !== room.viewerCount) {
      room.viewerCount = total.viewerCount;
      pushToRoom(roomId, { type: "viewers", room: roomId, count: total.viewerCount });
    }
    if (total.leader && now - room.lastSampleAt >= deps.settings.viewerSampleMs) {
      room.lastSampleAt = now;
      deps.backend.emitViewerSample(roomId, total.viewerCount, new Date(now).toISOString());
    }
  }
}
