/** Jest: TypeScript through ts-jest, transpile-only (tsconfig's isolatedModules); `npm test` runs tsc first. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/helpers/setup.ts'],
  testTimeout: 30000,
  // Both cores of a 2-core machine (jest's default leaves one idle).
  maxWorkers: '100%',
};
