/**
 * The stock AMQP adapter sets one prefetch for the whole AMQP channel at
 * connect, so a handler's own `maxInFlight` is ignored. RabbitMQ applies
 * `basic.qos` (non-global) to consumers started after it on the channel:
 * setting it right before each subscription gives every consumer its own
 * in-flight limit. Subscriptions run one after another (the channels
 * middleware subscribes in series), so the value cannot leak to another.
 */
import { Adapters } from "@moleculer/channels";

type AmqpChannel = Parameters<InstanceType<typeof Adapters.AMQP>["subscribe"]>[0];

interface AmqpInternals {
  channel?: { prefetch(count: number, global?: boolean): Promise<unknown> } | null;
}

export class ArenaAmqpAdapter extends Adapters.AMQP {
  override async subscribe(chan: AmqpChannel): Promise<void> {
    const inFlight = chan.maxInFlight ?? (this.opts as { maxInFlight?: number }).maxInFlight;
    const channel = (this as unknown as AmqpInternals).channel;
    if (channel && inFlight) await channel.prefetch(inFlight, false);
    await super.subscribe(chan);
  }
}
