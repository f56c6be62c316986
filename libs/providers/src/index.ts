export * from './http/node-http-client.js';
export * from './entra/index.js';
export * from './google/index.js';
export * from './ldap/index.js';
export * from './okta/index.js';
export * from './onelogin/index.js';
export * from './sample/index.js';
export * from './registry.js';
