import { NOTIFICATIONS_DB } from "../../../../services/engagement/notifications/notifications.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(NOTIFICATIONS_DB);
