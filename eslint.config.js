import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "test/fixtures/", "templates/", "examples/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    files: ["src/terminal/**", "test/**", "bench/**", "scripts/**", "bin/**", "src/runtime/**/worker*.ts"],
    rules: { "no-console": "off" },
  },
  {
    // The inspector's page: a plain browser script.
    files: ["inspector/**/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: { document: "readonly", window: "readonly", fetch: "readonly", EventSource: "readonly", TextDecoder: "readonly", URL: "readonly", URLSearchParams: "readonly", Node: "readonly", navigator: "readonly", atob: "readonly" },
    },
  },
  {
    files: ["bin/**/*.js"],
    languageOptions: { globals: { process: "readonly" } },
  },
);
