/**
 * delivery: signed local media at GET /media/<path> (live HLS and VOD in
 * embedded mode). The serving rules are in serve-media.ts and its helpers;
 * this file wires the action and reads config at creation.
 */
import { join } from "node:path";
import type { ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import type { ServiceActions } from "../../../lib/contracts";
import type { DeliverySettings, DeliveryThis } from "./delivery.context";
import * as P from "./delivery.params";
import { serveMediaFile } from "./serve-media";
import "./delivery.contract";

export type { DeliverySettings, DeliveryThis } from "./delivery.context";

const DeliveryService: ServiceSchema<DeliverySettings, DeliveryThis> = {
  name: "delivery",

  settings: {},

  actions: {
    /** Streams one media file after checking its signed grant; single byte ranges get 206. */
    serve: {
      params: P.SERVE,
      handler(ctx) {
        return serveMediaFile(this, ctx);
      },
    },
  } satisfies ServiceActions<"delivery", DeliveryThis>,

  created(this: DeliveryThis) {
    const config = getConfig();
    this.mediaRoot = this.settings.mediaRoot ?? join(config.dataDir, "media");
    this.urlSecret = config.media.urlSecret;
  },
};

export default DeliveryService;
