// Lint rules of the house (style.md §10): strict type-checked rules plus the layering boundaries.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const SDK_PACKAGES = ["@alicloud/*", "@darabonba/*"];

/** no-restricted-imports does not see import(): the same boundary for dynamic imports. */
function noDynamicImport(pattern, message) {
  return { selector: `ImportExpression[source.value=${pattern}]`, message };
}
const NO_EXPORT_ALL = { selector: "ExportAllDeclaration", message: "No export *: import the file you mean" };

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "coverage/**",
      "ansible/**",
      "jest.config.js",
      "eslint.config.mjs",
    ],
  },
  js.configs.recommended,
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  ...tseslint.configs.strictTypeChecked.map((config) => ({ ...config, files: ["**/*.ts"] })),
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "no-restricted-syntax": ["error", NO_EXPORT_ALL],
    },
  },
  {
    // Module code (everything but the emulator) never imports the emulator.
    files: ["src/**/*.ts"],
    ignores: ["src/emulator/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/emulator/**", "**/emulator"], message: "Module code never imports the emulator" },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        NO_EXPORT_ALL,
        noDynamicImport("/emulator/", "Module code never imports the emulator"),
      ],
    },
  },
  {
    // Only src/cloud/ talks to the SDK.
    files: ["src/**/*.ts"],
    ignores: ["src/cloud/**", "src/emulator/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/emulator/**", "**/emulator"], message: "Module code never imports the emulator" },
            { group: SDK_PACKAGES, message: "Only src/cloud/ imports the SDK" },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        NO_EXPORT_ALL,
        noDynamicImport("/emulator/", "Module code never imports the emulator"),
        noDynamicImport("/^@(alicloud|darabonba)\\//", "Only src/cloud/ imports the SDK"),
      ],
    },
  },
  {
    // The emulator shares no behaviour code with the module, and never uses the SDK it emulates.
    files: ["src/emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/module/**", "**/reconcile/**", "**/cloud/**", "**/main"],
              message: "The emulator never imports module code",
            },
            { group: SDK_PACKAGES, message: "The emulator never imports the SDK" },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        NO_EXPORT_ALL,
        noDynamicImport("/(module|reconcile|cloud|main)/", "The emulator never imports module code"),
        noDynamicImport("/^@(alicloud|darabonba)\\//", "The emulator never imports the SDK"),
      ],
    },
  },
  {
    files: ["tests/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/unbound-method": "off",
      // jest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any`.
      "@typescript-eslint/no-unsafe-assignment": "off",
    },
  },
);
