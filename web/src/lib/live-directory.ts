import { useEffect, useState } from "preact/hooks";
import type { Channel, LiveSession } from "../api/schemas";
import { api } from "../api/http";
import { realtime } from "../realtime/socket";
import { useInterval } from "./use-async";

/**
 * Who is live, with their channels (for slugs) and viewer counts kept fresh:
 * each shown channel's public topic `channel:<id>` pushes its sampled viewer
 * count (docs/realtime-protocol.md); the list itself (who started or
 * stopped) is re-read every 30 s.
 */
const LIST_POLL_MS = 30_000;
/** The realtime gateway caps topics per socket (50); leave room for other pages' topics. */
const MAX_FOLLOWED = 40;

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
  useInterval(() => void load(), LIST_POLL_MS, [filter.category]);

  const followed = (sessions ?? []).slice(0, MAX_FOLLOWED).map((s) => s.channelId);
  useEffect(() => {
    const stops = followed.map((channelId) =>
      realtime.subscribe(`channel:${channelId}`, (frame) => {
        if (frame.type !== "event" || frame.event !== "viewers") return;
        const { viewerCount } = frame.data as { viewerCount?: unknown };
        if (typeof viewerCount !== "number") return;
        setSessions((current) =>
          current?.map((s) => (s.channelId === channelId && s.viewerCount !== viewerCount ? { ...s, viewerCount } : s)),
        );
      }),
    );
    return () => stops.forEach((stop) => stop());
  }, [followed.join(",")]);

  return { sessions, channels, error };
}
