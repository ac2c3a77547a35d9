import { describeTypos } from "./typo-spec";

// No DATABASE_URL: embedded PGlite in DATA_DIR, as `npm start` on a bare machine.
describeTypos("embedded PGlite", { DATABASE_URL: undefined });
