export * from "./id";
