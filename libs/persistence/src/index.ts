export { connectMongo, redactUri, type ConnectMongoOptions, type MongoConnection } from './connection.js';
export { ConflictError } from './conflict-error.js';
export { retryOnConflict, checkRevision, type RetryOnConflictOptions } from './retry-on-conflict.js';
export { optimisticConcurrencyPlugin, timestampsPlugin, updateWithVersion } from './plugins.js';
export { paginate, encodeCursor, decodeCursor, InvalidCursorError, type PageArgs, type PageInfo, type Page, type PaginateOptions } from './pagination.js';
