import { CHANNELS_DB } from "../../../../services/core/channels/channels.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(CHANNELS_DB);
