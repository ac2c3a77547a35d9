/**
 * The rooms this node has members in, with everything needed to judge a
 * message in memory: chat policy (owner, moderators, VIPs) and moderation
 * state, loaded once at first join and then kept fresh by events.
 */
import { compileBlockedTerms, type ChatPolicy, type RoomModerationState } from "../../../lib/moderation";
import type { GateRoom } from "./message-gate";
import { SenderHistory, type SendLimits } from "./rate-limit";

export interface RoomSnapshot {
  policy: ChatPolicy;
  moderation: RoomModerationState;
}

export type RoomLoader = (roomId: string) => Promise<RoomSnapshot>;

export interface RoomState<Member> extends GateRoom {
  id: string;
  policy: ChatPolicy;
  members: Set<Member>;
  /** Last cluster-wide count pushed to members. */
  viewerCount: number;
  lastSampleAt: number;
  emptySince: number | null;
}

export class RoomRegistry<Member> {
  private readonly rooms = new Map<string, RoomState<Member>>();
  private readonly loading = new Map<string, Promise<RoomState<Member>>>();
  /** Rooms that emptied since the last viewer tick, reported once as 0. */
  private readonly emptied = new Set<string>();

  constructor(
    private readonly loader: RoomLoader,
    private readonly limits: SendLimits,
  ) {}

  get(roomId: string): RoomState<Member> | undefined {
    return this.rooms.get(roomId);
  }

  /** Loads a room once even when many sockets join at the same moment. */
  async acquire(roomId: string): Promise<RoomState<Member>> {
    const existing = this.rooms.get(roomId);
    if (existing) return existing;
    let pending = this.loading.get(roomId);
    if (!pending) {
      pending = this.loader(roomId)
        .then((snapshot) => {
          const room: RoomState<Member> = {
            id: roomId,
            policy: snapshot.policy,
            moderation: snapshot.moderation,
            blockedTerms: compileBlockedTerms(snapshot.moderation.blockedTerms),
            senders: new SenderHistory(this.limits),
            members: new Set(),
            viewerCount: 0,
            lastSampleAt: 0,
            emptySince: Date.now(),
          };
          this.rooms.set(roomId, room);
          return room;
        })
        .finally(() => this.loading.delete(roomId));
      this.loading.set(roomId, pending);
    }
    return pending;
  }

  addMember(room: RoomState<Member>, member: Member): boolean {
    // A join awaits the backend between acquire() and here; the sweep may have forgotten the
    // (then empty) room meanwhile. Put it back, or its member would get NOT_IN_ROOM and no events.
    if (!this.rooms.has(room.id)) this.rooms.set(room.id, room);
    room.members.add(member);
    room.emptySince = null;
    this.emptied.delete(room.id);
    return room.members.size === 1;
  }

  /** Returns true when the room just became empty on this node. */
  removeMember(room: RoomState<Member>, member: Member): boolean {
    if (!room.members.delete(member) || room.members.size > 0) return false;
    room.emptySince = Date.now();
    this.emptied.add(room.id);
    return true;
  }

  /** Newer moderation state from an event; stale or unknown rooms are ignored. */
  applyModeration(state: RoomModerationState): RoomState<Member> | undefined {
    const room = this.rooms.get(state.channelId);
    if (!room || state.version < room.moderation.version) return undefined;
    room.moderation = state;
    room.blockedTerms = compileBlockedTerms(state.blockedTerms);
    return room;
  }

  applyPolicy(policy: ChatPolicy): RoomState<Member> | undefined {
    const room = this.rooms.get(policy.channelId);
    if (room) room.policy = policy;
    return room;
  }

  /** Local member counts for the viewer tick, including a final 0 for rooms just emptied. */
  localCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const room of this.rooms.values()) if (room.members.size > 0) counts.set(room.id, room.members.size);
    for (const id of this.emptied) counts.set(id, 0);
    this.emptied.clear();
    return counts;
  }

  /** Forgets rooms empty for a while and idle senders; a later join reloads fresh state. */
  sweep(now: number, idleMs: number): void {
    for (const [id, room] of this.rooms) {
      room.senders.sweep(now);
      if (room.emptySince !== null && now - room.emptySince > idleMs) this.rooms.delete(id);
    }
  }

  activeRooms(): number {
    let n = 0;
    for (const room of this.rooms.values()) if (room.members.size > 0) n++;
    return n;
  }

  all(): IterableIterator<RoomState<Member>> {
    return this.rooms.values();
  }
}
