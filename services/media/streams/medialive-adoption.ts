/**
 * Finding the MediaLive channels this deployment created again after a
 * restart, by the tags they were created with (medialive-channel-spec.ts).
 */
import { DescribeInputCommand, ListChannelsCommand } from "@aws-sdk/client-medialive";
import type { AwsProviderOptions } from "./aws-provider-options";
import { TAG_CHANNEL, TAG_OWNER, TAG_SESSION } from "./medialive-channel-spec";
import { splitIngestUrl, type Provision } from "./medialive-provisioning";

/**
 * Provisions live in this process's memory; after a restart the channels
 * we created are found again by their tags, so polling, playback and
 * teardown carry on (a RUNNING one is reported live again; the service
 * resumes or reopens the session). Adds them to `provisions` (by session id).
 */
export async function adoptTaggedChannels(
  options: AwsProviderOptions,
  provisions: Map<string, Provision>,
): Promise<void> {
  let nextToken: string | undefined;
  do {
    const page = await options.client.send(new ListChannelsCommand({ NextToken: nextToken, MaxResults: 100 }));
    nextToken = page.NextToken;
    for (const summary of page.Channels ?? []) {
      const tags = summary.Tags ?? {};
      const sessionId = tags[TAG_SESSION];
      const inputId = summary.InputAttachments?.[0]?.InputId;
      if (!sessionId || !summary.Id || !inputId || !tags[TAG_CHANNEL] || !tags[TAG_OWNER] || provisions.has(sessionId))
        continue;
      if (summary.State === "DELETING" || summary.State === "DELETED") continue;
      const input = await options.client.send(new DescribeInputCommand({ InputId: inputId }));
      const url = input.Destinations?.[0]?.Url;
      if (!url) continue;
      provisions.set(sessionId, {
        sessionId,
        inputId,
        channelId: summary.Id,
        live: false,
        ended: false,
        authorization: { channelId: tags[TAG_CHANNEL], ownerId: tags[TAG_OWNER] },
        endpoint: splitIngestUrl(url),
      });
      options.log.info(`Adopted MediaLive channel ${summary.Id} of session ${sessionId}`);
    }
  } while (nextToken);
}
