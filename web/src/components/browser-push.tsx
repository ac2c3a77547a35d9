import { useEffect, useState } from "preact/hooks";
import { describeError } from "../api/http";
import { disablePush, enablePush, pushState, serverKey, type PushState } from "../lib/web-push";

const EXPLAIN: Record<Exclude<PushState, "on" | "off">, string> = {
  unsupported: "This browser cannot receive push notifications from Arena (or the page is not on HTTPS).",
  unavailable: "Browser push is turned off on this Arena server.",
  denied: "Notifications are blocked for this site: allow them in the browser's site settings, then come back.",
};

/**
 * The "this browser" switch of /notifications/settings: subscribes this
 * browser to Web Push and registers it as a device (lib/web-push.ts), or
 * removes it. `onChange` lets the devices list re-read.
 */
export function BrowserPushSwitch({ onChange }: { onChange(): void }) {
  const [key, setKey] = useState<string | null | undefined>(undefined);
  const [state, setState] = useState<PushState | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    serverKey()
      .catch(() => null)
      .then(async (k) => {
        const s = await pushState(k);
        if (!live) return;
        setKey(k);
        setState(s);
      })
      .catch((err: unknown) => live && setError(describeError(err)));
    return () => {
      live = false;
    };
  }, []);

  const toggle = async (on: boolean) => {
    if (!key) return;
    setBusy(true);
    setError(null);
    try {
      if (on) await enablePush(key);
      else await disablePush();
    } catch (err) {
      // The Push API fails with DOMExceptions (AbortError: "Registration failed - push service error").
      setError(err instanceof DOMException ? `The browser could not subscribe: ${err.message}` : describeError(err));
    } finally {
      setState(await pushState(key).catch(() => undefined));
      setBusy(false);
      onChange();
    }
  };

  return (
    <section data-testid="browser-push">
      <h2>This browser</h2>
      {state === undefined && !error && <p class="muted">Checking…</p>}
      {state === "on" || state === "off" ? (
        <p class="row">
          <input
            type="checkbox"
            class="switch"
            id="browser-push"
            checked={state === "on"}
            disabled={busy}
            onChange={(e) => void toggle(e.currentTarget.checked)}
          />
          <label for="browser-push">Show Arena notifications on this device, even when no Arena tab is open</label>
        </p>
      ) : state ? (
        <p class="muted" data-testid="browser-push-why">
          {EXPLAIN[state]}
        </p>
      ) : null}
      <p class="sr-only" role="status">
        {busy ? "Saving…" : state === "on" ? "Browser push is on." : state === "off" ? "Browser push is off." : ""}
      </p>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
