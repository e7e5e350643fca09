export { RuleError, NotFoundError, UnauthenticatedError, ForbiddenError, ConflictError } from './errors.js';
export { retryOnConflict, checkRevision, type RetryOnConflictOptions } from './conflicts.js';
export { ROLES, isRole, personOf, type Role, type Identity, type Person } from './roles.js';
export { authorize, requireHuman } from './access.js';
export { count, agree } from './words.js';
