/** `search reindex [type...]` in the REPL (npm run repl, or a node started with --repl). */
import type { ServiceBroker } from "moleculer";
import { callAction } from "../../../lib/contracts";
import type { ReindexType } from "./search.context";
import "./search.contract";

const TYPES: ReindexType[] = ["channel", "user", "video", "tournament", "post"];

export function searchReplCommand(): Record<string, unknown> {
  return {
    command: "search <action> [types...]",
    description: "Search index: `search reindex [channel|user|video|tournament|post ...]` rebuilds it without downtime",
    async action(broker: ServiceBroker, args: { action: string; types?: string[] }) {
      if (args.action !== "reindex") {
        console.error(`Unknown search action '${args.action}' (known: reindex)`);
        return;
      }
      const types = (args.types ?? []).filter((t): t is ReindexType => TYPES.includes(t as ReindexType));
      if ((args.types ?? []).length !== types.length) {
        console.error(`Types are ${TYPES.join(", ")}`);
        return;
      }
      try {
        const result = await callAction(broker, "search.reindex", types.length > 0 ? { types } : {}, {
          timeout: 60 * 60_000,
        });
        console.log(JSON.stringify(result, null, 2));
      } catch (err) {
        console.error(err instanceof Error ? err.message : String(err));
      }
    },
  };
}
