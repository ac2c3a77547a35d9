import { describeTypos } from "./typo-spec";

describeTypos("PostgreSQL", {});
