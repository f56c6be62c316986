/**
 * @dirconn/core — the pure heart of dirconn: model, ports, the sync planner and applier, and the
 * Bitwarden API client over an injected HTTP port. No file system, keychain, directory SDK,
 * Electron or commander here (enforced by lint).
 */
export * from './errors.js';
export * from './ports.js';
export * from './config/fields.js';
export * from './config/config.js';
export * from './config/secret-bindings.js';
export * from './config/config-keys.js';
export * from './config/setting-value.js';
export * from './config/env-settings.js';
export * from './model/directory.js';
export * from './model/provider-definition.js';
export * from './model/state.js';
export * from './model/import-request.js';
export * from './model/organization.js';
export * from './sync/plan.types.js';
export * from './sync/overrides.js';
export * from './sync/safety-stop.js';
export * from './sync/normalize.js';
export * from './sync/dedupe.js';
export * from './sync/flatten.js';
export * from './sync/request-builder.js';
export * from './sync/hash.js';
export * from './sync/plan.js';
export * from './sync/apply.js';
export * from './sync/explain.js';
export * from './http/http-helpers.js';
export * from './http/retrying-transport.js';
export * from './bitwarden/urls.js';
export * from './bitwarden/bitwarden-client.js';
export * from './secret.js';
export * from './usecases/workspace.port.js';
export * from './usecases/run-report.js';
export * from './usecases/session.js';
export * from './usecases/sync.usecase.js';
export * from './usecases/use-case-warning.js';
export * from './usecases/login.usecase.js';
export * from './usecases/config-view.usecase.js';
export * from './usecases/config-set.usecase.js';
export * from './usecases/config-location.js';
export * from './usecases/maintenance.usecase.js';
export * from './usecases/saved-plan.usecase.js';
export * from './usecases/directory-side.js';
export * from './monitor/run-metrics.js';
export * from './usecases/monitored-sync.usecase.js';
export * from './usecases/environment-settings.js';
export * from './usecases/sync-service.js';
export * from './usecases/import-bwdc.usecase.js';
export * from './bwdc/bwdc-data.js';
export * from './bwdc/bwdc-mapping.js';
