import { IDENTITY_DB } from "../../../../services/core/identity/identity.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(IDENTITY_DB);
