import { BLOG_DB } from "../../../../services/content/blog/blog.entities";
import { describeEntitySchema } from "../../../helpers/schema-check";

describeEntitySchema(BLOG_DB);
