/** One line of the chat panel: a message from history or the socket, or a system notice. */
export interface ChatLine {
  id: string;
  userId: string | null;
  username: string;
  badges: string[];
  text: string;
  sentAt: number;
  system?: boolean;
}
