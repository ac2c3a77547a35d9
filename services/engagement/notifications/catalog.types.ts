/**
 * What one entry of the notification catalog is made of. An entry turns one
 * durable event into a plan (who receives what) without knowing Moleculer:
 * lookups it needs (a channel's slug, a user's name) come through `Lookup`.
 */
import type { DurableEventMap, DurableEventName } from "../../../mixins/durable-events";

/** Where a notification may go: the inbox (and open sockets), phones (FCM/SNS), browsers (Web Push). */
export const DELIVERY_CHANNELS = ["inApp", "mobile", "web"] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export type ChannelSwitches = Record<DeliveryChannel, boolean>;

/** What the recipient sees: plain text (never HTML), a link inside the web client, and small data for clients. */
export interface RenderedNotification {
  title: string;
  body: string | null;
  /** A path of the web client ("/c/<slug>"); clients prefix their origin. */
  link: string;
  data: Record<string, string | number | boolean | null>;
}

export type Recipients =
  /** Every follower of the channel (batched fan-out, resumable). */
  | { followersOf: string; except?: string[] }
  /** A few named users, delivered in the event handler's transaction. */
  | { userIds: string[] };

export interface NotificationPlan {
  recipients: Recipients;
  /** Unique per recipient: the same source never reaches a user twice (redelivery, resumed fan-out). */
  sourceKey: string;
  /** The channel it is about: mutes apply to it, and go-live alerts collapse per channel. */
  channelId: string | null;
  /** Who caused it (a follower, a commenter): never notified about their own act. */
  actorId: string | null;
  rendered: RenderedNotification;
}

export interface ChannelRef {
  id: string;
  slug: string;
  title: string;
  ownerId: string;
}

export interface UserRef {
  id: string;
  username: string;
  displayName: string;
}

/** Reads an entry may need; null means the channel/user no longer exists (the event is skipped). */
export interface Lookup {
  channel(id: string): Promise<ChannelRef | null>;
  user(id: string): Promise<UserRef | null>;
}

export interface NotificationTypeSpec<N extends DurableEventName = DurableEventName> {
  /** Stable name stored with each notification and used in preferences, e.g. "stream.live". */
  type: string;
  /** One line for the preferences page and docs. */
  label: string;
  /** The durable event it comes from. */
  event: N;
  /** The channels it may use at all. */
  channels: readonly DeliveryChannel[];
  /** On or off until the user says otherwise (what streaming sites do). */
  defaults: ChannelSwitches;
  /** Whether muting a channel silences this type. */
  mutable: boolean;
  /** Go-live alerts: a channel that restarts within this window sends one alert, not several. */
  collapseWindowMs?: number;
  /** null: this event notifies nobody (private video, self-reply, deleted channel...). */
  plan(payload: DurableEventMap[N], lookup: Lookup): Promise<NotificationPlan | null>;
}

/** Any entry of the catalog (each typed by its own event). */
export type AnyNotificationType = { [N in DurableEventName]: NotificationTypeSpec<N> }[DurableEventName];

/** Helper that keeps each entry's payload typed by its event. */
export function defineType<N extends DurableEventName>(spec: NotificationTypeSpec<N>): NotificationTypeSpec<N> {
  return spec;
}
