import { useEffect } from "preact/hooks";
import { api, ApiError, describeError } from "../api/http";
import { RoleBadges } from "../components/role-badges";
import { countOf, formatCount, hueOf } from "../lib/format";
import { useAsync } from "../lib/use-async";
import { setTitle, type PageProps } from "../router";

/** /u/:id: a public profile (name, bio, links), its role badges and the person's channels. */
export default function Profile({ params }: PageProps) {
  const id = params.id ?? "";
  const profile = useAsync((signal) => api("get /api/v1/users/{id}", { path: { id }, signal }), [id]);
  const channels = useAsync(
    (signal) => api("get /api/v1/channels", { query: { ownerId: id, limit: 10 }, signal }),
    [id],
  );
  const p = profile.data;
  useEffect(() => {
    if (p) setTitle(p.displayName || p.username);
  }, [p?.id]);

  if (profile.error)
    return (
      <div class="empty">
        <h1>
          {profile.error instanceof ApiError && profile.error.status === 404 ? "User not found" : "Could not load"}
        </h1>
        <p class="muted">{describeError(profile.error)}</p>
        <a class="btn" href="/">
          Browse live channels
        </a>
      </div>
    );
  if (!p) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  return (
    <div class="page profile-page">
      <header class="profile-head">
        <span class="avatar big" aria-hidden="true" style={{ "--hue": String(hueOf(p.id)) }}>
          {p.username.slice(0, 1).toUpperCase()}
        </span>
        <div>
          <h1>
            {p.displayName || p.username} <RoleBadges userId={p.id} />
          </h1>
          <p class="muted">
            @{p.username} · joined {new Date(p.createdAt).toLocaleDateString()} · follows{" "}
            {formatCount(p.followingCount)} {p.followingCount === 1 ? "channel" : "channels"}
          </p>
        </div>
      </header>
      {p.bio && <p class="profile-bio">{p.bio}</p>}
      {p.links.length > 0 && (
        <ul class="profile-links">
          {p.links.map((l) => (
            <li key={l.url}>
              {/^https?:\/\//i.test(l.url) ? (
                <a href={l.url} rel="external nofollow noopener" target="_blank">
                  {l.label || l.url}
                </a>
              ) : (
                l.label || l.url
              )}
            </li>
          ))}
        </ul>
      )}
      {channels.data && channels.data.items.length > 0 && (
        <section>
          <h2>Channels</h2>
          <ul class="list">
            {channels.data.items.map((c) => (
              <li key={c.id}>
                <a href={`/c/${encodeURIComponent(c.slug)}`}>{c.title}</a>
                <span class="muted">
                  {" "}
                  · {c.category ?? "no category"} · {countOf(c.followerCount, "follower")}
                  {c.isLive ? " · live now" : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
