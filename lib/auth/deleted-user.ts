/**
 * What stands in for a deleted user where others' data keeps a trace of them
 * (chat lines, comment threads with replies, finished brackets): not their id,
 * not their name. Every service anonymizes with these, so clients show one label.
 */
export const DELETED_USER_ID = "deleted";
export const DELETED_USER_NAME = "[deleted]";
