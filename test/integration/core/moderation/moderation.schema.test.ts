import { MODERATION_DB } from "../../../../services/core/moderation/moderation.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(MODERATION_DB);
