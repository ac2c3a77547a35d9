import { describeRanking } from "./ranking-spec";

// No DATABASE_URL: embedded PGlite in DATA_DIR, as `npm start` on a bare machine.
describeRanking("embedded PGlite", { DATABASE_URL: undefined });
