/** Jest runs TypeScript through ts-jest; isolatedModules in tsconfig makes it transpile only (tsc type-checks). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": "ts-jest",
  },
  testTimeout: 30000,
};
