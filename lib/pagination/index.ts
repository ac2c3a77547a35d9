export * from "./cursor-page";
export * from "./offset-page";
