/** The typed `this` of the delivery service and its settings. */
import type { Service } from "moleculer";

export interface DeliverySettings {
  /** Defaults to `${getConfig().dataDir}/media`; tests may point elsewhere. */
  mediaRoot?: string;
}

export interface DeliveryThis extends Service<DeliverySettings> {
  mediaRoot: string;
  urlSecret: string;
}
