import { useEffect, useState } from "preact/hooks";
import type { Channel, LiveSession } from "../api/gaps";
import { api } from "../api/http";
import { useInterval } from "./use-async";

/**
 * Who is live, with their channels (for slugs) and viewer counts kept fresh.
 * Counts are polled every 10 s. (When the realtime gateway publishes viewer
 * counts on a public topic, subscribe here instead: the pages do not change.)
 */
const POLL_MS = 10_000;

export interface LiveDirectory {
  sessions: LiveSession[] | undefined;
  channels: Map<string, Channel>;
  error: unknown;
}

export function useLiveDirectory(filter: { category?: string }): LiveDirectory {
  const [sessions, setSessions] = useState<LiveSession[] | undefined>(undefined);
  const [channels, setChannels] = useState(new Map<string, Channel>());
  const [error, setError] = useState<unknown>(undefined);

  const load = async () => {
    try {
      const [live, liveChannels] = await Promise.all([
        api("get /api/v1/streams/live", { query: { limit: 48, category: filter.category } }),
        api("get /api/v1/channels", { query: { live: true, limit: 100, category: filter.category } }),
      ]);
      setSessions(live.items);
      setChannels(new Map(liveChannels.items.map((c) => [c.id, c])));
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };

  useEffect(() => {
    setSessions(undefined);
    void load();
  }, [filter.category]);
  useInterval(() => void load(), POLL_MS, [filter.category]);
  return { sessions, channels, error };
}
