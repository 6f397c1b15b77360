import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", ".data/**", "**/dist/**", "**/__generated__/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // type-graphql and federation reference resolvers are typed loosely at their edges.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
