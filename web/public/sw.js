/**
 * Arena's service worker: shows Web Push notifications and opens their page
 * when clicked. Nothing else (no fetch handler, no cache): the app works the
 * same without it. Served from the site root (web/public, same origin, so
 * the CSP's worker-src 'self' allows it) to control scope "/".
 *
 * The payload is what services/engagement/notifications/providers/web-push.ts
 * sends: {id, type, title, body, url}. `url` is absolute on PUBLIC_URL; only
 * its path is used, on this worker's own origin, so a click never leaves the site.
 */
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function readPayload(data) {
  if (!data) return {};
  try {
    const parsed = data.json();
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return { body: data.text() };
  }
}

function pathOf(url) {
  try {
    const u = new URL(typeof url === "string" ? url : "/notifications", self.location.origin);
    return `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return "/notifications";
  }
}

self.addEventListener("push", (event) => {
  const p = readPayload(event.data);
  const title = typeof p.title === "string" && p.title ? p.title : "Arena";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof p.body === "string" ? p.body : "",
      // One notification per inbox row: a retried delivery replaces instead of stacking.
      tag: typeof p.id === "string" ? p.id : undefined,
      icon: "/favicon.svg",
      data: { path: pathOf(p.url), id: p.id, type: p.type },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.path ?? "/notifications", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const same = windows.find((w) => w.url === target);
      if (same) return same.focus();
      const any = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (any) return any.navigate(target).then((w) => w?.focus());
      return self.clients.openWindow(target);
    }),
  );
});

// The push service replaced or dropped the subscription: open tabs re-register it (they hold the session).
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(
    self.clients
      .matchAll({ type: "window", includeUncontrolled: true })
      .then((windows) => windows.forEach((w) => w.postMessage({ type: "arena-push-resubscribe" }))),
  );
});
