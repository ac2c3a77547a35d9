/** The push providers a node uses, chosen by config (PUSH_MOBILE_PROVIDER, VAPID_PRIVATE_KEY). */
import type { ArenaConfig } from "../../../../lib/config";
import { FcmProvider } from "./fcm";
import type { PushProviders } from "./provider";
import { SnsProvider } from "./sns";
import { WebPushSender } from "./web-push";

export function createPushProviders(config: ArenaConfig): PushProviders {
  const n = config.notifications;
  const mobile =
    n.mobileProvider === "fcm"
      ? new FcmProvider({ projectId: n.fcm.projectId as string, credentialsFile: n.fcm.credentialsFile })
      : n.mobileProvider === "sns"
        ? new SnsProvider({
            platformApplicationArn: n.sns.platformApplicationArn as string,
            region: config.media.awsRegion as string,
            endpoint: n.sns.endpoint,
          })
        : null;
  const web = n.vapid.privateKey
    ? new WebPushSender({ privateKey: n.vapid.privateKey, subject: n.vapid.subject })
    : null;
  return { mobile, web };
}
