import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["core/**/*.test.ts", "scenarios/**/*.test.ts", "properties/**/*.test.ts", "bench/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
