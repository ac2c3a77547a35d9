import { TOURNAMENTS_DB } from "../../../../services/content/tournaments/tournaments.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(TOURNAMENTS_DB);
