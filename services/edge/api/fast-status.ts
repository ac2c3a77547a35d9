/**
 * The fast path's `/api/v1/status` answer (fast-path.ts): the status JSON of
 * this node, built here (node-status.ts) when it runs the status service, the
 * body rebuilt when the uptime second moves.
 */
import type { ServiceBroker } from "moleculer";
import { nodeStatus } from "../../platform/status/node-status";
import type { StatusThis } from "../../platform/status/status.context";

const JSON_TYPE = "application/json; charset=utf-8";

export interface StatusBody {
  uptimeS: number;
  /** A string: written in one go with the headers (see CachedAnswer.body). */
  body: string;
  headers: readonly string[];
}

export class FastStatus {
  private statusService: StatusThis | undefined;
  private statusLookedUpAt = -Infinity;
  private status: StatusBody | undefined;

  constructor(private readonly broker: ServiceBroker) {}

  /** The status JSON of this node, when it runs the status service. */
  answer(now: number): StatusBody | undefined {
    if (this.statusService === undefined) {
      // Services start in any order: look again at most once a second while it is not (yet) here.
      if (now - this.statusLookedUpAt < 1000) return undefined;
      this.statusLookedUpAt = now;
      this.statusService = this.broker.getLocalService("status") as StatusThis | undefined;
      if (this.statusService === undefined) return undefined;
    }
    // The only field that moves is the uptime, in whole seconds: rebuild when it does.
    const uptimeS = Math.round(process.uptime());
    if (this.status?.uptimeS !== uptimeS) {
      const body = JSON.stringify(nodeStatus(this.statusService));
      this.status = {
        uptimeS,
        body,
        headers: ["Content-Type", JSON_TYPE, "Content-Length", String(Buffer.byteLength(body))],
      };
    }
    return this.status;
  }
}
