/** The typed `this` of the status service: a plain service, no state of its own. */
import type { Service } from "moleculer";

export type StatusThis = Service;
