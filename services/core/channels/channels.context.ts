/** The typed `this` of the channels service; action files take it as `svc`. */
import type { Service } from "moleculer";
import type { DbMixinThis } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { ChannelModels } from "./channels.entities";

export interface ChannelsThis extends Service, DbMixinThis<ChannelModels>, DurableEventsMethods {}
