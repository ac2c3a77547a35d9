/**
 * The stock JetStream adapter, made safe for several nodes of one service
 * starting at once: both see no durable consumer, both try to create it, and
 * the loser fails with "consumer name already in use". Retrying attaches it to
 * the consumer the winner created (a queue subscription on the same group).
 */
import { Adapters } from "@moleculer/channels";

type NatsChannel = Parameters<InstanceType<typeof Adapters.NATS>["subscribe"]>[0];

const ATTEMPTS = 5;

export class ArenaNatsAdapter extends Adapters.NATS {
  override async subscribe(chan: NatsChannel): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await super.subscribe(chan);
        return;
      } catch (err) {
        const lostRace = err instanceof Error && err.message.includes("consumer name already in use");
        if (!lostRace || attempt >= ATTEMPTS) throw err;
        // super.subscribe started tracking this channel before failing; reset for the retry.
        this.activeMessages.delete(chan.id);
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }
}
