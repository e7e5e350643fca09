export { connectMongo, redactUri, type ConnectMongoOptions, type MongoConnection } from './connection.js';
export { isStoreUnavailable } from './store-unavailable.js';
export { optimisticConcurrencyPlugin, timestampsPlugin, updateWithVersion } from './plugins.js';
export {
  paginate,
  encodeCursor,
  decodeCursor,
  InvalidCursorError,
  type PageArgs,
  type PageInfo,
  type Page,
  type PaginateOptions,
} from './pagination.js';
