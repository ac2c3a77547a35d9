import type { Context, ServiceSchema } from "moleculer";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** What `GET /api/v1/status` answers: which node served it and how long it has run. */
export interface StatusResult {
  version: string;
  nodeId: string;
  uptimeS: number;
}

export type Settings = Record<string, never>;

/** Nearest package.json above this file: the same code runs from sources and from dist/. */
function readPackageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  }
  return "0.0.0";
}

const packageVersion = readPackageVersion();

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
