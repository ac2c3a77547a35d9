import type { SettingSpec } from "../setting-spec";

/** Analytics retention, rollups, partitions and privacy thresholds. */
export const ANALYTICS_SETTINGS = [
  {
    env: "ANALYTICS_RAW_RETENTION_DAYS",
    kind: "int",
    embedded: "14",
    production: "14",
    description: "days of raw per-minute analytics kept (daily partitions are dropped whole after that)",
  },
  {
    env: "ANALYTICS_ROLLUP_RETENTION_DAYS",
    kind: "int",
    embedded: "730",
    production: "730",
    description: "days of hourly and daily analytics rollups kept",
  },
  {
    env: "ANALYTICS_ROLLUP_INTERVAL_S",
    kind: "int",
    embedded: "60",
    production: "60",
    description: "seconds between analytics rollup runs (hours touched since the last run are recomputed; 0 disables)",
  },
  {
    env: "ANALYTICS_PARTITIONS_AHEAD_DAYS",
    kind: "int",
    embedded: "3",
    production: "3",
    description: "daily analytics partitions created ahead of today",
  },
  {
    env: "ANALYTICS_MIN_GROUP_SIZE",
    kind: "int",
    embedded: "5",
    production: "5",
    description:
      "analytics breakdowns (unique chatters/viewers, retention curves, top lists) under this many people are not shown",
  },
  {
    env: "ANALYTICS_HEARTBEAT_MIN_INTERVAL_S",
    kind: "int",
    embedded: "10",
    production: "10",
    description: "a viewer's watch-progress heartbeats for one video closer than this are refused (429)",
  },
] as const satisfies readonly SettingSpec[];
