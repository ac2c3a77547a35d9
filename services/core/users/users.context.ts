/** The typed `this` of the users service; action files take it as `svc`. */
import type { Service } from "moleculer";
import type { DbMixinThis } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { UserModels } from "./users.entities";

export interface UsersThis extends Service, DbMixinThis<UserModels>, DurableEventsMethods {}
