export { entraDefinition } from './entra.definition.js';
export { EntraProvider, parseEntraCursor } from './entra.provider.js';
export type { EntraCursor } from './entra.provider.js';
export { ENTRA_DEFAULTS, ENTRA_FIELDS, ENTRA_CLOUDS, graphRootOf, authorityUrlOf, validateEntraConfig } from './entra.config.js';
export type { EntraConfig } from './entra.config.js';
export { parseEntraUserFilter, parseEntraGroupFilter, checkEntraUserFilter, checkEntraGroupFilter } from './entra.filter.js';
export type { EntraUserFilter, EntraGroupFilter } from './entra.filter.js';
export { mapUser as mapEntraUser, mapGroup as mapEntraGroup, emailOf as entraEmailOf } from './entra.mapping.js';
export type { GraphUser, GraphGroup, GraphMember } from './entra.mapping.js';
