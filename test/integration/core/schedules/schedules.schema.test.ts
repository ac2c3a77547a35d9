import { SCHEDULES_DB } from "../../../../services/core/schedules/schedules.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(SCHEDULES_DB);
