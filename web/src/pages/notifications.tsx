import { useEffect, useState } from "preact/hooks";
import type { NotificationView } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { Notice } from "../components/form";
import { lastPushed, setUnread, unreadCount } from "../lib/notifications";
import { timeAgo } from "../lib/format";
import { navigate, type PageProps } from "../router";

const PAGE_SIZE = 30;

/**
 * /notifications: the inbox (GET /me/notifications), newest first, with an
 * unread filter, mark one / all read and delete. What the socket pushes
 * while the page is open is prepended without a reload.
 */
export default function Notifications({ query }: PageProps) {
  const unreadOnly = query.get("filter") === "unread";
  const [items, setItems] = useState<NotificationView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const signedIn = currentUser.value !== null;

  const load = async (after: string | null, signal?: AbortSignal) => {
    const page = await api("get /api/v1/me/notifications", {
      query: { unread: unreadOnly || undefined, limit: PAGE_SIZE, cursor: after ?? undefined },
      signal,
    });
    setItems((old) => (after ? [...old, ...page.items] : page.items));
    setCursor(page.nextCursor);
    setLoaded(true);
  };

  useEffect(() => {
    if (!signedIn) return;
    const ctl = new AbortController();
    setLoaded(false);
    load(null, ctl.signal).catch((err: unknown) => !ctl.signal.aborted && setError(err));
    return () => ctl.abort();
  }, [unreadOnly, signedIn]);

  // A notification pushed over the socket joins the top of the list.
  const pushed = lastPushed.value;
  useEffect(() => {
    if (!pushed || !loaded) return;
    setItems((old) =>
      old.some((n) => n.id === pushed.id)
        ? old
        : [
            {
              id: pushed.id,
              type: pushed.type,
              title: pushed.title,
              body: pushed.body ?? null,
              link: pushed.link ?? null,
              data: {},
              channelId: null,
              read: false,
              readAt: null,
              createdAt: pushed.createdAt,
            },
            ...old,
          ],
    );
  }, [pushed?.id, loaded]);

  const act = async (fn: () => Promise<void>) => {
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err);
    }
  };
  const markRead = (n: NotificationView) =>
    act(async () => {
      const res = await api("post /api/v1/me/notifications/{id}/read", { path: { id: n.id } });
      setUnread(res.unreadCount);
      setItems((old) =>
        unreadOnly ? old.filter((x) => x.id !== n.id) : old.map((x) => (x.id === n.id ? { ...x, read: true } : x)),
      );
    });
  const remove = (n: NotificationView) =>
    act(async () => {
      const res = await api("delete /api/v1/me/notifications/{id}", { path: { id: n.id } });
      setUnread(res.unreadCount);
      setItems((old) => old.filter((x) => x.id !== n.id));
    });
  const markAll = () =>
    act(async () => {
      const res = await api("post /api/v1/me/notifications/read", { body: {} });
      setUnread(res.unreadCount);
      setItems((old) => (unreadOnly ? [] : old.map((x) => ({ ...x, read: true }))));
    });
  const open = (n: NotificationView) => {
    if (!n.read) void markRead(n);
    if (n.link) navigate(n.link);
  };

  if (!signedIn)
    return (
      <div class="empty">
        <h1>Notifications</h1>
        <p>
          <a href="/login?next=/notifications">Log in</a> to see your notifications.
        </p>
      </div>
    );

  const unread = unreadCount.value ?? 0;
  return (
    <div class="page notifications-page">
      <div class="section-head">
        <h1>Notifications</h1>
        <div class="row">
          <button class="btn" disabled={unread === 0} onClick={() => void markAll()} data-testid="mark-all-read">
            Mark all read
          </button>
          <a class="btn ghost" href="/notifications/settings">
            Settings
          </a>
        </div>
      </div>
      <nav class="tabs" aria-label="Filter notifications">
        <a href="/notifications" aria-current={unreadOnly ? undefined : "page"}>
          All
        </a>
        <a href="/notifications?filter=unread" aria-current={unreadOnly ? "page" : undefined}>
          Unread{unread > 0 ? ` (${unread})` : ""}
        </a>
      </nav>
      {error ? <Notice kind="error">{describeError(error)}</Notice> : null}
      {loaded && items.length === 0 && (
        <p class="muted">
          {unreadOnly ? "You're all caught up." : "Nothing yet: follow channels to hear when they go live."}
        </p>
      )}
      <ul class="inbox" aria-live="polite" data-testid="inbox">
        {items.map((n) => (
          <li key={n.id} class={n.read ? "read" : "unread"} data-testid="inbox-item">
            <span class="dot" aria-hidden="true" />
            <div class="inbox-text">
              {n.link ? (
                <a
                  href={n.link}
                  onClick={(e) => {
                    e.preventDefault();
                    open(n);
                  }}
                >
                  <strong>{n.title}</strong>
                </a>
              ) : (
                <strong>{n.title}</strong>
              )}
              {!n.read && <span class="sr-only"> (unread)</span>}
              {n.body && <p>{n.body}</p>}
              <time dateTime={n.createdAt}>{timeAgo(n.createdAt)}</time>
            </div>
            <div class="inbox-tools">
              {!n.read && (
                <button class="btn small" onClick={() => void markRead(n)} aria-label={`Mark read: ${n.title}`}>
                  Mark read
                </button>
              )}
              <button class="btn small ghost" onClick={() => void remove(n)} aria-label={`Delete: ${n.title}`}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      {cursor && (
        <button class="btn" onClick={() => void act(() => load(cursor))}>
          Older notifications
        </button>
      )}
    </div>
  );
}
