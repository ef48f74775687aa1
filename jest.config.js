/** Jest runs the TypeScript sources as native ES modules (node --experimental-vm-modules), transformed by SWC. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' } }],
  },
  // our own sources import `./x.js` (NodeNext); jest resolves the `.ts` file. `.json.js` paths inside packages are left alone.
  moduleNameMapper: { '^(\\.{1,2}/.*(?<!\\.json))\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // integration tests talk to real Azurite and the sandbox tenant over HTTPS: allow for a loaded 2-core machine
  testTimeout: 60_000,
  // three test files at a time even on 2 cores (jest's default there is one): most of a test's time is spent waiting on
  // Azurite, the sandbox tenant and rollout child processes (two workers kept the CPU ~55 % busy: 6 min 46 s of CPU in
  // 6 min 7 s), so a third overlaps well (jest on an idle 2-core machine, 1,381 tests: 367 s with two, 251 s with three)
  maxWorkers: 3,
};
