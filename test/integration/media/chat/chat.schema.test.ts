import { CHAT_DB } from "../../../../services/media/chat/chat.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(CHAT_DB);
