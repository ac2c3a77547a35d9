import { CLIPS_DB } from "../../../../services/media/clips/clips.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(CLIPS_DB);
