// Flat config: typescript-eslint's recommended rules, strict about `any` in
// production code (types on every boundary), relaxed in tests and benches.
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      ".data/**",
      "coverage/**",
      "**/*.js",
      "web/dist/**",
      "web/src/api/generated/**",
      "test-artifacts/**",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // Calls between services and plain events go through lib/contracts, typed by the ActionMap and the
    // PlainEventMap: a renamed action or a changed payload then fails the typecheck instead of production.
    files: ["services/**/*.ts", "lib/**/*.ts", "mixins/**/*.ts", "bin/**/*.ts"],
    ignores: ["lib/contracts/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "CallExpression[callee.property.name=/^(call|mcall)$/][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message:
            'Call actions with callAction(ctx, "svc.action", params) from lib/contracts (typed by the ActionMap).',
        },
        {
          selector:
            "CallExpression[callee.property.name=/^(broadcast|emit)$/][arguments.0.type=/^(Literal|TemplateLiteral)$/][callee.object.name=/^(ctx|broker)$/]",
          message: "Emit plain events with broadcastEvent/emitEvent from lib/contracts (typed by the PlainEventMap).",
        },
        {
          selector:
            "CallExpression[callee.property.name=/^(broadcast|emit)$/][arguments.0.type=/^(Literal|TemplateLiteral)$/][callee.object.property.name='broker']",
          message: "Emit plain events with broadcastEvent/emitEvent from lib/contracts (typed by the PlainEventMap).",
        },
      ],
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
