import { STREAMS_DB } from "../../../../services/media/streams/streams.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(STREAMS_DB);
