export * from "./arena-errors";
