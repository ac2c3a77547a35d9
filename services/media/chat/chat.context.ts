/** The typed `this` of the chat service; action files take it as `svc`. */
import type { Service } from "moleculer";
import type { DbMixinThis } from "../../../mixins/db";
import type { ChatModels } from "./chat.entities";

export interface ChatThis extends Service, DbMixinThis<ChatModels> {}
