import { unknownQueryParams } from "../../../../services/edge/api/query-check";

describe("unknownQueryParams", () => {
  const params = { limit: "number", cursor: { type: "string", optional: true }, $$strict: "remove" };

  it("accepts declared params and path params, names everything else", () => {
    expect(unknownQueryParams({ limit: "5", cursor: "x" }, [], params)).toEqual([]);
    expect(unknownQueryParams({ channelId: "c1" }, ["channelId"], params)).toEqual([]);
    expect(unknownQueryParams({ limt: "5", offset: "0" }, [], params)).toEqual(["limt", "offset"]);
  });

  it("validator options and inherited names are not parameters", () => {
    expect(unknownQueryParams({ $$strict: "false" }, [], params)).toEqual(["$$strict"]);
    expect(unknownQueryParams({ constructor: "1", toString: "x" }, [], params)).toEqual(["constructor", "toString"]);
  });

  it("an action without params takes no query; a $$root schema is not checked by name", () => {
    expect(unknownQueryParams({ a: "1" }, [], undefined)).toEqual(["a"]);
    expect(unknownQueryParams({}, [], undefined)).toEqual([]);
    expect(unknownQueryParams({ a: "1" }, [], { $$root: true, type: "object" })).toEqual([]);
  });
});
