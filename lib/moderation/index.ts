/**
 * Arena's moderation rules, in one module: who moderates a channel
 * (chat-policy), a chat room's modes, bans and blocked terms
 * (room-moderation, mod-command), and the text checks every user message
 * passes (chat-text, blocked-terms, link-filter). Pure functions, no
 * Moleculer: the realtime gateway enforces them in memory, the chat service
 * stores the room state, video and blog comments reuse the policy and the
 * blocked terms.
 */
export * from "./blocked-terms";
export * from "./chat-policy";
export * from "./chat-text";
export * from "./comment-text";
export * from "./link-filter";
export * from "./mod-command";
export * from "./room-moderation";
