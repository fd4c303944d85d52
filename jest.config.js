/** Jest runs TypeScript through ts-jest in transpile-only mode; `tsc --noEmit` type-checks separately. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { isolatedModules: true }],
  },
  testTimeout: 30000,
};
