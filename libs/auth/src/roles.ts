// Roles, identities and people are part of the shared kernel (pure, used by the services' domains); re-exported here.
export { ROLES, isRole, type Role, type Identity } from '@flightdeck/kernel';
