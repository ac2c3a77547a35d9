/**
 * Chat message ids, minted by the gateway that accepts a message: 9 base-36
 * characters of epoch ms, the gateway's 4-hex node tag, a 4-character
 * counter. Fixed width and time-ordered, so history sorts and pages by id
 * (chat-history.ts reads the time back), and a node can tell its own
 * messages from other nodes' in the fan-out.
 */
let counter = 0;

export function newMessageId(now: number, nodeTag: string): string {
  counter = (counter + 1) % 1679616;
  return `${now.toString(36).padStart(9, "0")}${nodeTag}${counter.toString(36).padStart(4, "0")}`;
}

/** The minting gateway's tag inside a message id. */
export function messageIdNodeTag(id: string): string {
  return id.slice(9, 13);
}
