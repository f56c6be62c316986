// One jest run, two projects: fast unit specs and integration specs that start real servers
// (slapd, Samba AD DC, keyring daemon, the fake Bitwarden server). Sources are TypeScript ESM,
// transformed by swc to ES modules; jest runs with --experimental-vm-modules (see package.json).
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@dirconn/core/testing$': '<rootDir>/libs/core/src/testing/index.ts',
    '^@dirconn/core$': '<rootDir>/libs/core/src/index.ts',
    '^@dirconn/providers$': '<rootDir>/libs/providers/src/index.ts',
    '^@dirconn/storage$': '<rootDir>/libs/storage/src/index.ts',
    '^@dirconn/desktop/server$': '<rootDir>/apps/desktop/src/node/index.ts',
    '^@dirconn/desktop/contract$': '<rootDir>/apps/desktop/src/shared/api-contract.ts',
    '^@dirconn/node-platform$': '<rootDir>/libs/node-platform/src/index.ts',
    '^@dirconn/test-support$': '<rootDir>/test-support/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

export const unit = {
  ...common,
  displayName: 'unit',
  testMatch: ['<rootDir>/{libs,apps,test-support}/**/src/**/*.spec.ts'],
  testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.integration\\.spec\\.ts$'],
};

export const integration = {
  ...common,
  displayName: 'integration',
  testMatch: ['<rootDir>/{libs,apps,test-support}/**/src/**/*.integration.spec.ts'],
  testTimeout: 180000,
  // Real servers leave timers and sockets around briefly; never let them hang a CI run.
  forceExit: true,
};

export default { projects: [unit, integration] };
