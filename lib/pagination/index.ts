export * from "./cursor-page";
