/**
 * The stock JetStream adapter, made safe for several nodes of one service
 * starting at once: both see no durable consumer, both try to create it, and
 * the loser fails with "consumer name already in use". Retrying attaches it to
 * the consumer the winner created (a queue subscription on the same group).
 *
 * It also keeps an existing durable consumer's in-flight limit in step with
 * the code: nats.js binds to an existing consumer as it is, so a raised
 * `maxInFlight` (max_ack_pending) would otherwise never reach a group
 * created before the change.
 */
import { Adapters } from "@moleculer/channels";

type NatsChannel = Parameters<InstanceType<typeof Adapters.NATS>["subscribe"]>[0];

const ATTEMPTS = 5;

export class ArenaNatsAdapter extends Adapters.NATS {
  override async subscribe(chan: NatsChannel): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await super.subscribe(chan);
        break;
      } catch (err) {
        const lostRace = err instanceof Error && err.message.includes("consumer name already in use");
        if (!lostRace || attempt >= ATTEMPTS) throw err;
        // super.subscribe started tracking this channel before failing; reset for the retry.
        this.activeMessages.delete(chan.id);
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
    await this.syncInFlight(chan);
  }

  private async syncInFlight(chan: NatsChannel): Promise<void> {
    const stream = chan.name.split(".").join("_");
    const durable = chan.group.split(".").join("_");
    const wanted = chan.maxInFlight;
    if (!wanted) return;
    try {
      const info = await this.manager.consumers.info(stream, durable);
      if (info.config.max_ack_pending !== wanted)
        await this.manager.consumers.update(stream, durable, { max_ack_pending: wanted });
    } catch (err) {
      // Not fatal: the group keeps working with its old limit.
      this.logger.warn(
        `Could not set max_ack_pending=${wanted} on consumer '${durable}' of '${stream}'`,
        err instanceof Error ? err.message : err,
      );
    }
  }
}
