import type { SettingSpec } from "../setting-spec";

/** Notification retention and mobile/Web Push delivery. */
export const NOTIFICATIONS_SETTINGS = [
  {
    env: "NOTIFICATIONS_RETENTION_DAYS",
    kind: "int",
    embedded: "90",
    production: "90",
    description: "read notifications older than this are deleted (unread ones after twice as long)",
  },
  {
    env: "PUSH_MOBILE_PROVIDER",
    kind: "enum",
    choices: ["none", "fcm", "sns"],
    embedded: "none",
    production: "fcm or sns",
    description: "mobile push: none (in-app and WebSocket only), FCM HTTP v1, or SNS platform endpoints",
  },
  {
    env: "FCM_PROJECT_ID",
    kind: "string",
    production: "your Firebase project id",
    description: "Firebase project mobile pushes are sent through (PUSH_MOBILE_PROVIDER=fcm)",
  },
  {
    env: "FCM_CREDENTIALS_FILE",
    kind: "string",
    production: "/run/secrets/fcm-service-account.json",
    description: "service account JSON for FCM; unset uses Google application default credentials",
  },
  {
    env: "SNS_PLATFORM_APPLICATION_ARN",
    kind: "string",
    production: "arn:aws:sns:…:app/GCM/arena",
    description: "SNS platform application device tokens are registered in (PUSH_MOBILE_PROVIDER=sns; AWS_REGION too)",
  },
  {
    env: "SNS_ENDPOINT",
    kind: "url",
    production: "unset (AWS)",
    description: "SNS API endpoint override (a local SNS-compatible server)",
  },
  {
    env: "VAPID_PRIVATE_KEY",
    kind: "string",
    secret: true,
    generated: true,
    production: "P-256 private key, base64url (Vault); unset turns Web Push off",
    description: "signs Web Push requests (VAPID); the public key browsers subscribe with is derived from it",
  },
  {
    env: "VAPID_SUBJECT",
    kind: "string",
    production: "mailto:ops@your.domain",
    description: "contact push services see in the VAPID token; default is PUBLIC_URL (https) or mailto:push@localhost",
  },
] as const satisfies readonly SettingSpec[];
