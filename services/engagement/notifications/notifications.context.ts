import type { Service } from "moleculer";
import type { ArenaContext } from "../../../lib/contracts";
import type { DbHandle, EntityStore } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { DeviceDoc, NotificationDoc } from "./notification.types";
import type { PushProviders } from "./providers/provider";
import type { BackgroundWorker } from "./poll-loop";
import type { UnreadCounter } from "./unread-counter";

export interface NotificationsSettings {
  /** Followers read (users.followerBatch), inserted and pushed per fan-out step. */
  fanoutBatchSize: number;
  /** How long a node holds a fan-out; a dead node's fan-out is taken over after this. */
  fanoutLeaseMs: number;
  /** How often idle nodes look for fan-outs and due pushes (a new one also wakes its own node at once). */
  pollMs: number;
  /** Push jobs one node claims at a time, and sends in parallel. */
  pushBatchSize: number;
  pushConcurrency: number;
  /** How long a node holds claimed push jobs before another may retry them. */
  pushLeaseMs: number;
  /** Attempts per push before it is marked failed; the wait doubles from pushBackoffMs. */
  pushMaxAttempts: number;
  pushBackoffMs: number;
  /** Devices per user (POST /me/devices beyond it: the oldest is replaced). */
  maxDevicesPerUser: number;
  /** Read notifications older than this are deleted (unread ones are kept twice as long). */
  retentionDays: number;
  retentionSweepMs: number;
  /** Cached unread counts live this long in Redis without a change. */
  unreadTtlS: number;
  /** false: serve the API and consume events, but never run fan-outs or pushes (tests, API-only nodes). */
  runWorkers: boolean;
}

/** `this` inside the notifications service. */
export interface NotificationsThis extends Service, DurableEventsMethods {
  settings: NotificationsSettings;
  stores: { notifications: EntityStore<NotificationDoc>; devices: EntityStore<DeviceDoc> };
  db: DbHandle;
  unread: UnreadCounter;
  providers: PushProviders;
  fanouts: BackgroundWorker;
  pushes: BackgroundWorker;
  retentionTimer?: NodeJS.Timeout;
  /** Lease owner name of this service instance. */
  owner: string;
  /** Builds the push providers from config (tests override it with fake provider endpoints). */
  createProviders(): PushProviders;
}

export type NotificationsContext<P = unknown> = ArenaContext<P>;
