export * from "./id";
export * from "./not-null";
