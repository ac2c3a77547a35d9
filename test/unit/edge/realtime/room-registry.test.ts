import { emptyModeration } from "../../../../lib/moderation";
import { DEFAULT_SEND_LIMITS } from "../../../../services/edge/realtime/rate-limit";
import { RoomRegistry } from "../../../../services/edge/realtime/room-registry";

describe("RoomRegistry", () => {
  const loader = async (roomId: string) => ({
    policy: { channelId: roomId, ownerId: "o", moderatorIds: [], vipIds: [] },
    moderation: emptyModeration(roomId),
  });

  it("keeps a room that the sweep forgot while a join was awaiting the backend", async () => {
    const registry = new RoomRegistry<string>(loader, DEFAULT_SEND_LIMITS);
    const room = await registry.acquire("r1");
    // The room has been empty for over a minute when the sweep runs during the join's await.
    registry.sweep(Date.now() + 61_000, 60_000);
    expect(registry.get("r1")).toBeUndefined();
    expect(registry.addMember(room, "socket-1")).toBe(true);
    expect(registry.get("r1")).toBe(room);
    expect(registry.localCounts().get("r1")).toBe(1);
  });

  it("loads a room once for concurrent joins and forgets it after it stays empty", async () => {
    let loads = 0;
    const registry = new RoomRegistry<string>(async (id) => (loads++, loader(id)), DEFAULT_SEND_LIMITS);
    const [a, b] = await Promise.all([registry.acquire("r2"), registry.acquire("r2")]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
    registry.addMember(a, "s");
    expect(registry.removeMember(a, "s")).toBe(true);
    registry.sweep(Date.now() + 30_000, 60_000);
    expect(registry.get("r2")).toBe(a);
    registry.sweep(Date.now() + 61_000, 60_000);
    expect(registry.get("r2")).toBeUndefined();
  });
});
