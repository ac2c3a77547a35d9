/**
 * Channels adapter for embedded mode, where every service runs in one
 * process: consumer groups, retries with backoff and dead-lettering behave
 * as on the network adapters, so service code and its tests see the same
 * semantics everywhere. (The stock "Fake" adapter has no retries or dead
 * letters.)
 *
 * With a delivery store attached (whenever the node has a database) it is as
 * durable as a broker: every (event, group) is a row from publish until the
 * group handled it, groups outlive restarts, and what a killed process had
 * not handled is redelivered when its groups subscribe again. Without one
 * (DB-less brokers) the queues live in memory only.
 */
import { AsyncResource } from "node:async_hooks";
import { Adapters } from "@moleculer/channels";
import type { Channel } from "@moleculer/channels/types/src";
import { retryDelayMs } from "./backoff";
import { MemoryDeadLetters, type AppendedDelivery, type DeliveryStore } from "./delivery-store";

interface PendingMessage {
  data: Buffer;
  headers: Record<string, string>;
  /** Deliveries that already failed for this group. */
  failures: number;
  /** Its delivery row, when the queues are stored. */
  seq?: number;
}

interface GroupState {
  consumers: Channel[];
  next: number;
  queue: PendingMessage[];
  inFlight: number;
  /** Rows queued or being handled, so a row loaded at subscribe and appended meanwhile is queued once. */
  seqs: Set<number>;
}

export interface InProcessAdapterOptions {
  maxRetries: number;
  maxInFlight: number;
  retryBaseMs: number;
  retryMaxMs: number;
  prefix?: string;
  /** How often stored deliveries added by another process (an operator's replay) are picked up. */
  pollMs?: number;
}

export class InProcessAdapter extends Adapters.Base {
  private readonly groups = new Map<string, Map<string, GroupState>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private store?: DeliveryStore;
  private readonly pollMs: number;
  private pollTimer?: NodeJS.Timeout;
  /** Highest delivery seq this process has queued; the poll looks above it. */
  private highWater = 0;
  /** Dead letters when there is no store (operators' commands read them here). */
  readonly memoryDeadLetters = new MemoryDeadLetters();
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
    this.pollMs = opts.pollMs ?? 2000;
  }

  /** Makes the queues durable; set before connect (the middleware does it when the node has a database). */
  attachStore(store: DeliveryStore | undefined): void {
    this.store = store;
  }

  get deliveryStore(): DeliveryStore | undefined {
    return this.store;
  }

  /** Channels of dead letters start with this (`<namespace>.DLQ.`). */
  get deadLetterPrefix(): string {
    return this.addPrefixTopic("DLQ.");
  }

  override async connect(): Promise<void> {
    this.connected = true;
    if (this.store && this.pollMs > 0) {
      this.pollTimer = setInterval(() => void this.poll(), this.pollMs);
      this.pollTimer.unref();
    }
  }

  override async disconnect(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
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
    const isNew = !group;
    if (!group) byGroup.set(chan.group, (group = { consumers: [], next: 0, queue: [], inFlight: 0, seqs: new Set() }));
    group.consumers.push(chan);
    this.initChannelActiveMessages(chan.id, false);
    if (isNew && this.store) {
      await this.store.addGroup(chan.name, chan.group);
      // What a previous run of this group did not finish, oldest first.
      for (const row of await this.store.pending(chan.name, chan.group)) this.enqueue(group, row);
    }
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
    const headers = { ...(opts?.headers ?? {}) };
    let byGroup = this.groups.get(channelName);
    // Like a stream: a channel nobody has subscribed to yet still exists, so a
    // consumer group created later only sees later messages (same as NATS/Redis/AMQP here).
    if (!byGroup) this.groups.set(channelName, (byGroup = new Map()));
    const isDeadLetter = channelName.startsWith(this.deadLetterPrefix);
    if (!this.store) {
      if (isDeadLetter) this.memoryDeadLetters.add(channelName, data, headers);
      for (const group of byGroup.values()) {
        group.queue.push({ data, headers, failures: 0 });
        this.drain(channelName, group);
      }
      return;
    }
    if (isDeadLetter) await this.store.addDeadLetter(channelName, data, headers);
    await this.store.append(channelName, data, headers, (rows) => this.onDurable(channelName, data, headers, rows));
  }

  /** Queues stored deliveries for the groups subscribed in this process (the others get them when they subscribe). */
  private onDurable(
    channelName: string,
    data: Buffer,
    headers: Record<string, string>,
    rows: AppendedDelivery[],
  ): void {
    const byGroup = this.groups.get(channelName);
    for (const row of rows) {
      const group = byGroup?.get(row.group);
      if (!group) continue;
      this.enqueue(group, { seq: row.seq, data, headers, failures: 0 });
      this.drain(channelName, group);
    }
  }

  /** Queues rows this process did not write (another process's publish into the same store). */
  private async poll(): Promise<void> {
    const store = this.store;
    if (!store || !this.connected) return;
    try {
      for (const row of await store.pendingAfter(this.highWater, 1000)) {
        this.highWater = Math.max(this.highWater, row.seq);
        const group = this.groups.get(row.channel)?.get(row.group);
        if (!group) continue;
        this.enqueue(group, row);
        this.drain(row.channel, group);
      }
    } catch (err) {
      this.logger.debug("Polling stored deliveries failed; next round retries", err);
    }
  }

  private enqueue(group: GroupState, message: PendingMessage): void {
    if (message.seq !== undefined) {
      this.highWater = Math.max(this.highWater, message.seq);
      if (group.seqs.has(message.seq)) return;
      group.seqs.add(message.seq);
    }
    group.queue.push(message);
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
      await this.settle(group, message);
    } catch (err) {
      this.metricsIncrement("moleculer.channels.messages.errors.total", chan);
      message.failures++;
      if (message.failures >= (chan.maxRetries ?? 0)) {
        await this.moveToDeadLetter(chan, message, err);
        await this.settle(group, message);
      } else {
        this.metricsIncrement("moleculer.channels.messages.retries.total", chan);
        await this.recordFailure(message, err);
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

  /** Done with a message for this group: its row goes (a failure here only means a harmless redelivery at boot). */
  private async settle(group: GroupState, message: PendingMessage): Promise<void> {
    if (message.seq === undefined || !this.store) return;
    group.seqs.delete(message.seq);
    await this.store
      .ack(message.seq)
      .catch((err: unknown) => this.logger.warn("Could not remove a handled delivery", err));
  }

  private async recordFailure(message: PendingMessage, err: unknown): Promise<void> {
    if (message.seq === undefined || !this.store) return;
    const reason = err instanceof Error ? err.message : String(err);
    await this.store.fail(message.seq, reason).catch(() => undefined);
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
