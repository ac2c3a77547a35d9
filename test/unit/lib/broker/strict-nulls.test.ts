/**
 * The broker's validator refuses null wherever a params rule does not say
 * `nullable: true` (fastest-validator alone lets null through every optional
 * field: `PATCH /me {"links": null}` reached `links.map` and answered 500).
 * Through a real broker: the handler never runs for a refused call.
 */
import { Errors, ServiceBroker } from "moleculer";
import { GuardedValidator } from "../../../../lib/broker/validator";

describe("GuardedValidator: null only where a rule allows it", () => {
  let broker: ServiceBroker;
  const seen: unknown[] = [];
  const params = {
    $$strict: "remove",
    name: "string|max:10",
    bio: { type: "string", optional: true },
    category: { type: "string", optional: true, nullable: true },
    page: { type: "number", optional: true, default: 1 },
    links: { type: "array", optional: true, items: { type: "object", props: { url: "string" } } },
    prefs: { type: "object", optional: true, props: { email: { type: "boolean", optional: true } } },
    tags: { type: "array", optional: true, items: "string" },
    extra: { type: "any", optional: true },
  } as const;

  beforeAll(async () => {
    broker = new ServiceBroker({ logger: false, validator: new GuardedValidator() });
    broker.createService({
      name: "probe",
      actions: {
        update: {
          params,
          handler(ctx) {
            seen.push(ctx.params);
            return ctx.params;
          },
        },
      },
    });
    await broker.start();
  });

  afterAll(() => broker.stop());

  async function refusal(body: Record<string, unknown>): Promise<string[]> {
    const before = seen.length;
    try {
      await broker.call("probe.update", body);
    } catch (err) {
      expect(err).toBeInstanceOf(Errors.ValidationError);
      expect(seen.length).toBe(before);
      return ((err as Errors.ValidationError).data as Array<{ message: string }>).map((e) => e.message);
    }
    return [];
  }

  it("refuses null in an optional field, saying to leave it out", async () => {
    expect(await refusal({ name: "a", bio: null })).toEqual([
      "The 'bio' field must not be null (leave it out instead).",
    ]);
    expect(await refusal({ name: "a", links: null })).toHaveLength(1);
    expect(await refusal({ name: "a", prefs: null })).toHaveLength(1);
  });

  it("refuses null in a required field, a shorthand rule, a nested field and an array item", async () => {
    expect(await refusal({ name: null })).toEqual(["The 'name' field is required and must not be null."]);
    expect(await refusal({ name: "a", prefs: { email: null } })).toEqual([
      "The 'prefs.email' field must not be null (leave it out instead).",
    ]);
    expect(await refusal({ name: "a", links: [{ url: null }] })).toHaveLength(1);
    expect(await refusal({ name: "a", tags: ["x", null] })).toEqual(["The 'tags' field must not contain null."]);
  });

  it("keeps null where the rule says nullable, the default for a defaulted field, and any value for `any`", async () => {
    const answer = (await broker.call("probe.update", {
      name: "a",
      category: null,
      page: null,
      extra: null,
    })) as Record<string, unknown>;
    expect(answer).toEqual({ name: "a", category: null, page: 1, extra: null });
  });

  it("still answers everything else as before: other messages, absent optional fields", async () => {
    expect(await refusal({ name: "much too long a name" })).toEqual([
      "The 'name' field length must be less than or equal to 10 characters long.",
    ]);
    expect(await refusal({})).toEqual(["The 'name' field is required and must not be null."]);
    expect(await broker.call("probe.update", { name: "a", tags: ["x"] })).toEqual({ name: "a", tags: ["x"], page: 1 });
  });

  it("leaves the action's own schema as declared (the OpenAPI document reads it)", () => {
    expect(params.bio).toEqual({ type: "string", optional: true });
    expect(params.name).toBe("string|max:10");
  });
});
