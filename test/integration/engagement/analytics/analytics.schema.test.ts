import { ANALYTICS_DB } from "../../../../services/engagement/analytics/analytics.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(ANALYTICS_DB);
