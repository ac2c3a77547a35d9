import { USERS_DB } from "../../../../services/core/users/users.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(USERS_DB);
