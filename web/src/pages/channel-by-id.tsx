import type { PageProps } from "../router";
import { ChannelById } from "./tournament-parts";

/** `/channel/:id` → `/c/<slug>`. */
export default function ChannelByIdPage({ params }: PageProps) {
  return <ChannelById id={params.id ?? ""} />;
}
