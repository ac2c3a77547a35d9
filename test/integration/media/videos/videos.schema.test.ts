import { VIDEOS_DB } from "../../../../services/media/videos/videos.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(VIDEOS_DB);
