/** Embedded mode: one node, so the local count is the total. */
import type { RoomTotal, ViewerCountStore } from "./viewer-counts";

export class MemoryViewerCounts implements ViewerCountStore {
  readonly driver = "memory" as const;

  async sync(localCounts: ReadonlyMap<string, number>): Promise<Map<string, RoomTotal>> {
    const totals = new Map<string, RoomTotal>();
    for (const [room, count] of localCounts) totals.set(room, { viewerCount: count, leader: true });
    return totals;
  }

  async stop(): Promise<void> {}
}
