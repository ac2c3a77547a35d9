/**
 * status: a tiny public probe that lives on whichever node runs it, so
 * operators (and the cluster e2e test) can see a REST call cross from the
 * gateway node to another node and what happens when that node dies.
 */
import type { ServiceSchema } from "moleculer";
import type { ServiceActions } from "../../../lib/contracts";
import { nodeStatus } from "./node-status";
import type { StatusThis } from "./status.context";
import "./status.contract";

export type { StatusResult } from "./status.contract";

const StatusService: ServiceSchema = {
  name: "status",
  settings: {},
  actions: {
    /** Version and identity of the node that served the call. */
    get: {
      params: {},
      handler() {
        return nodeStatus(this);
      },
    },
  } satisfies ServiceActions<"status", StatusThis>,
};

export default StatusService;
