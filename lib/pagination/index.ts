export * from "./cursor-page";
export * from "./keyset-docs";
export * from "./keyset-sql";
