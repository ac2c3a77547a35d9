/**
 * Channels adapter for embedded mode, where every service runs in one
 * process: queues live in memory, but consumer groups, retries with backoff
 * and dead-lettering behave as on the network adapters, so service code and
 * its tests see the same semantics everywhere. (The stock "Fake" adapter has
 * no retries or dead letters.) Not durable across a process crash: in
 * embedded mode the outbox is what survives restarts.
 */
import { AsyncResource } from "node:async_hooks";
import { Adapters } from "@moleculer/channels";
import type { Channel } from "@moleculer/channels/types/src";
import { retryDelayMs } from "./backoff";

interface PendingMessage {
  data: Buffer;
  headers: Record<string, string>;
  /** Deliveries that already failed for this group. */
  failures: number;
}

interface GroupState {
  consumers: Channel[];
  next: number;
  queue: PendingMessage[];
  inFlight: number;
  /** Dead-letter target and retry limit come from the first subscriber of the group. */
  template: Channel;
}

export interface InProcessAdapterOptions {
  maxRetries: number;
  maxInFlight: number;
  retryBaseMs: number;
  retryMaxMs: number;
  prefix?: string;
}

export class InProcessAdapter extends Adapters.Base {
  private readonly groups = new Map<string, Map<string, GroupState>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  /**
   * Deliveries run in the async context the adapter was created in, not the
   * publisher's: otherwise a consumer would see the publisher's (relay's)
   * database transaction through AsyncLocalStorage and run inside it.
   */
  private readonly deliveryScope = new AsyncResource("ArenaInProcessDelivery");

  constructor(opts: InProcessAdapterOptions) {
    super({
      maxRetries: opts.maxRetries,
      maxInFlight: opts.maxInFlight,
      prefix: opts.prefix,
      deadLettering: { enabled: true, queueName: "FAILED_MESSAGES" },
    });
    this.retryBaseMs = opts.retryBaseMs;
    this.retryMaxMs = opts.retryMaxMs;
  }

  override async connect(): Promise<void> {
    this.connected = true;
  }

  override async disconnect(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.connected = false;
  }

  override async subscribe(chan: Channel): Promise<void> {
    if (chan.maxRetries == null) chan.maxRetries = this.opts.maxRetries;
    if (chan.maxInFlight == null) chan.maxInFlight = this.opts.maxInFlight;
    const dl = { ...this.opts.deadLettering, ...(chan.deadLettering ?? {}) };
    if (dl.enabled) dl.queueName = this.addPrefixTopic(dl.queueName);
    chan.deadLettering = dl;

    let byGroup = this.groups.get(chan.name);
    if (!byGroup) this.groups.set(chan.name, (byGroup = new Map()));
    let group = byGroup.get(chan.group);
    if (!group) byGroup.set(chan.group, (group = { consumers: [], next: 0, queue: [], inFlight: 0, template: chan }));
    group.consumers.push(chan);
    this.initChannelActiveMessages(chan.id, false);
    this.drain(chan.name, group);
  }

  override async unsubscribe(chan: Channel): Promise<void> {
    chan.unsubscribing = true;
    const group = this.groups.get(chan.name)?.get(chan.group);
    if (group) group.consumers = group.consumers.filter((c) => c !== chan);
    // Queued messages stay with the group for the next subscriber, like a durable queue.
  }

  override async publish(
    channelName: string,
    payload: unknown,
    opts: { raw?: boolean; headers?: Record<string, string> } | null,
  ): Promise<void> {
    if (!this.connected) throw new Error("In-process channel adapter is not connected");
    const data = opts?.raw ? (payload as Buffer) : this.serializer.serialize(payload as object, "");
    let byGroup = this.groups.get(channelName);
    // Like a stream: a channel nobody has subscribed to yet still exists, so a
    // consumer group created later only sees later messages (same as NATS/Redis/AMQP here).
    if (!byGroup) this.groups.set(channelName, (byGroup = new Map()));
    for (const group of byGroup.values()) {
      group.queue.push({ data, headers: { ...(opts?.headers ?? {}) }, failures: 0 });
      this.drain(channelName, group);
    }
  }

  private drain(channelName: string, group: GroupState): void {
    while (group.queue.length > 0 && group.consumers.length > 0 && this.connected) {
      const capacity = group.consumers.reduce((sum, c) => sum + Math.max(1, c.maxInFlight ?? 1), 0);
      if (group.inFlight >= capacity) return;
      // Round-robin between the group's consumers, as a queue group would.
      const chan = group.consumers[group.next++ % group.consumers.length];
      const message = group.queue.shift() as PendingMessage;
      group.inFlight++;
      this.deliveryScope.runInAsyncScope(() => void this.deliver(channelName, group, chan, message));
    }
  }

  private async deliver(channelName: string, group: GroupState, chan: Channel, message: PendingMessage): Promise<void> {
    const id = `${channelName}:${Date.now()}:${Math.random()}`;
    this.addChannelActiveMessages(chan.id, [id]);
    try {
      const payload = this.serializer.deserialize(message.data, "");
      await chan.handler(payload, { headers: message.headers, deliveryCount: message.failures + 1 });
    } catch (err) {
      this.metricsIncrement("moleculer.channels.messages.errors.total", chan);
      message.failures++;
      if (message.failures >= (chan.maxRetries ?? 0)) {
        await this.moveToDeadLetter(chan, message, err);
      } else {
        this.metricsIncrement("moleculer.channels.messages.retries.total", chan);
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            group.queue.unshift(message);
            this.drain(channelName, group);
          },
          retryDelayMs(message.failures, this.retryBaseMs, this.retryMaxMs),
        );
        this.timers.add(timer);
      }
    } finally {
      this.removeChannelActiveMessages(chan.id, [id]);
      group.inFlight--;
      this.drain(channelName, group);
    }
  }

  private async moveToDeadLetter(chan: Channel, message: PendingMessage, err: unknown): Promise<void> {
    const dl = chan.deadLettering;
    if (!dl?.enabled) {
      this.logger.error(
        `Dropping message of '${chan.name}' (group '${chan.group}') after ${message.failures} failed deliveries`,
        err,
      );
      return;
    }
    this.logger.warn(
      `Moving message of '${chan.name}' (group '${chan.group}') to '${dl.queueName}' after ${message.failures} failed deliveries`,
      err,
    );
    this.metricsIncrement("moleculer.channels.messages.deadLettering.total", chan);
    await this.publish(dl.queueName, message.data, {
      raw: true,
      headers: { ...message.headers, "x-original-channel": chan.name, "x-original-group": chan.group },
    });
  }
}
