import type { Context, ServiceSchema } from "moleculer";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** What `GET /api/v1/status` answers: which node served it and how long it has run. */
export interface StatusResult {
  version: string;
  nodeId: string;
  uptimeS: number;
}

export type Settings = Record<string, never>;

const packageVersion = (JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version: string }).version;

/**
 * A tiny public probe that lives on whichever node runs it, so operators (and
 * the cluster e2e test) can see a REST call cross from the gateway node to
 * another node and what happens when that node dies.
 */
const StatusService: ServiceSchema<Settings> = {
  name: "status",
  settings: {},
  actions: {
    /** Version and identity of the node that served the call. */
    get: {
      params: {},
      handler(this: { broker: { nodeID: string } }, _ctx: Context): StatusResult {
        return { version: packageVersion, nodeId: this.broker.nodeID, uptimeS: Math.round(process.uptime()) };
      },
    },
  },
};

export default StatusService;
