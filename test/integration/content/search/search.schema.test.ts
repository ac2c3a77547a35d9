import { SEARCH_DB } from "../../../../services/content/search/search.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

// The tsvectors are built and matched only by search's own SQL (query-terms.ts), never through the field map.
describeEntitySchema(SEARCH_DB, { documents: ["tsv", "title_tsv"] });
