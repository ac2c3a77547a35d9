import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { StatusThis } from "./status.context";
import type { StatusResult } from "./status.contract";

/** Nearest package.json above this file: the same code runs from sources and from dist/. */
function readPackageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  }
  return "0.0.0";
}

const packageVersion = readPackageVersion();

/** Version and identity of the node that served the call. */
export function nodeStatus(svc: StatusThis): StatusResult {
  return { version: packageVersion, nodeId: svc.broker.nodeID, uptimeS: Math.round(process.uptime()) };
}
