/**
 * Profile and channel fields are plain text, cleaned by the same parser-based
 * rule as comments (lib/text/plain-text.ts).
 */
export { toPlainText as plainText } from "../../lib/text/plain-text";
