// Lint rules. The important one: core/ is a pure library (DESIGN.md "Purity and state"),
// so it may not import Node built-ins or I/O, nor read the clock, randomness or the environment.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// An allow-list: core/ imports its own modules (relative paths that stay inside core/) and immer.
const impureImports = {
  patterns: [
    { regex: "^(?!\\.|immer$)", message: "core/ is pure: it imports only its own modules and immer (DESIGN.md 'Purity and state')." },
    { regex: "^(\\.\\./)+(scenarios|bench|properties|node_modules)(/|$)", message: "core/ imports nothing outside itself." },
  ],
};

// The reference engine is the oracle: what both engines share lives in core/cluster/, and only the
// engine's backend switch (and tests) may reach the reference engine itself.
const oracleImports = {
  patterns: [
    ...impureImports.patterns,
    { regex: "(^|/)reference/", message: "core/reference/ is the oracle: import shared records and rules from core/cluster/; only core/engine/backend.ts and tests import the reference engine." },
  ],
};

// Outside core/, the library is used through its public entry only.
const publicEntryOnly = {
  patterns: [
    { regex: "^(\\.\\./)+core/(?!index\\.js$)", message: "import core through its public entry, core/index.js." },
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
        ...["process", "globalThis", "global", "window", "self"].map((name) => ({ name, message: "core/ is pure: configuration comes in as data." })),
        ...["setTimeout", "setInterval", "setImmediate", "queueMicrotask", "performance", "Date"].map((name) => ({ name, message: "core/ is pure: time is a value (the agenda), not a clock." })),
        ...["fetch", "XMLHttpRequest", "WebSocket", "crypto", "require", "Buffer"].map((name) => ({ name, message: "core/ is pure: no I/O, randomness or Node APIs." })),
      ],
      "no-restricted-properties": ["error",
        { object: "Math", property: "random", message: "core/ is pure: randomness is derived from the seed (DESIGN.md 'Randomness')." },
        { object: "Date", property: "now", message: "core/ is pure: no clock." },
      ],
      "no-restricted-syntax": ["error",
        { selector: "ImportExpression", message: "core/ is pure: no dynamic imports." },
      ],
    },
  },
  {
    files: ["core/**/*.ts"],
    ignores: ["core/**/*.test.ts", "core/reference/**", "core/engine/backend.ts"],
    rules: {
      "no-restricted-imports": ["error", oracleImports],
    },
  },
  {
    files: ["scenarios/**/*.ts", "bench/**/*.ts", "properties/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", publicEntryOnly],
    },
  },
);
