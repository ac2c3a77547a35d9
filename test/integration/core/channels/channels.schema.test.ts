import { CHANNELS_DB } from "../../../../services/core/channels/channels.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

// follower_version is read and bumped only by follower-count.ts's own UPDATE.
describeEntitySchema(CHANNELS_DB, { channels: ["follower_version"] });
