/**
 * The one action of the delivery service: a signed media file, called by
 * the gateway for GET /media/*. delivery.service.ts is checked against it
 * with `satisfies ServiceActions<"delivery", DeliveryThis>`.
 */
import type { Readable } from "node:stream";
import type { ServeParams } from "./delivery.params";

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** The file's bytes: a stream, or a buffer for a rewritten playlist or an empty 416 body. */
    "delivery.serve": { params: ServeParams; result: Readable | Buffer };
  }
}
