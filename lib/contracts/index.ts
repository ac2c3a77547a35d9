export * from "./actions";
export * from "./events";
