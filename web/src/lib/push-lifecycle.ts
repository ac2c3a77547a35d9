import { beforeLogout, currentUser } from "../api/session";

/**
 * The part of browser push every page needs, kept tiny (entry chunk): the
 * rest (lib/web-push.ts) loads only when this browser has a push
 * registration. Logging out removes this browser's push device first, so a
 * shared browser stops showing the previous user's alerts; when the push
 * service replaces a subscription, the worker asks an open tab to register
 * the new one (it holds the session, the worker does not).
 */
const supported = typeof navigator !== "undefined" && "serviceWorker" in navigator && "PushManager" in window;

async function subscribed(): Promise<boolean> {
  const reg = await navigator.serviceWorker.getRegistration("/");
  return (await reg?.pushManager.getSubscription()) != null;
}

if (supported) {
  beforeLogout(async () => {
    if (await subscribed()) await (await import("./web-push")).disablePush();
  });
  navigator.serviceWorker.addEventListener("message", (e: MessageEvent<{ type?: string }>) => {
    if (e.data?.type !== "arena-push-resubscribe" || !currentUser.value) return;
    void import("./web-push")
      .then(async (push) => {
        const key = await push.serverKey();
        if (key) await push.enablePush(key);
      })
      .catch(() => undefined);
  });
}
