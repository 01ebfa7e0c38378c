// One lint configuration for every TypeScript package in the workspace.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // fixtures/torch-tensorrt holds TorchScript archives, which are named *.ts but are zips.
  { ignores: ["**/dist/**", "**/fixtures/torch-tensorrt/**", "**/build/**", "**/node_modules/**", "**/*.generated.ts", "**/*.d.ts", "**/tsup.config.bundled_*"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["**/*.mjs", "**/*.cjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __dirname: "readonly" } },
    // A CommonJS file is where require() belongs (the fixtures that check what CommonJS users get).
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
