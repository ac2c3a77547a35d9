import { describeRanking } from "./ranking-spec";

describeRanking("PostgreSQL", {});
