// Lint rules. The important one: core/ is a pure library (DESIGN.md "Purity and state"),
// so it may not import Node built-ins or I/O, nor read the clock, randomness or the environment.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const impureImports = {
  patterns: [
    { group: ["node:*"], message: "core/ is pure: no Node built-ins (DESIGN.md 'Purity and state')." },
    { group: ["fs", "fs/*", "path", "os", "child_process", "worker_threads", "process", "crypto", "http", "https", "net"], message: "core/ is pure: no I/O or environment." },
    { group: ["../scenarios/*", "../../scenarios/*", "../bench/*", "../properties/*"], message: "core/ imports nothing outside itself." },
  ],
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["core/**/*.ts"],
    ignores: ["core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", impureImports],
      "no-restricted-globals": ["error",
        { name: "process", message: "core/ is pure: configuration comes in as data." },
        { name: "setTimeout", message: "core/ is pure: time is a value (the agenda)." },
        { name: "setInterval", message: "core/ is pure: time is a value (the agenda)." },
        { name: "performance", message: "core/ is pure: no clock." },
        { name: "require", message: "core/ is ESM and pure." },
      ],
      "no-restricted-properties": ["error",
        { object: "Math", property: "random", message: "core/ is pure: randomness is derived from the seed (DESIGN.md 'Randomness')." },
        { object: "Date", property: "now", message: "core/ is pure: no clock." },
      ],
      "no-restricted-syntax": ["error",
        { selector: "NewExpression[callee.name='Date']", message: "core/ is pure: no clock." },
      ],
    },
  },
);
