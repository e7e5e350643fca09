export { currentContext, runWithContext, type RequestContext } from './context.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { createMetrics, type ServiceMetrics } from './metrics.js';
export { createHttpServer, type HttpServer, type HttpServerOptions } from './http-server.js';
export { requestIds, requestContextOf, REQUEST_ID_HEADER, CORRELATION_ID_HEADER } from './request-ids.js';
export { markMount } from './access-log.js';
export type { ReadinessCheck, CheckResult } from './readiness.js';
export { graphqlMetricsPlugin } from './graphql-plugin.js';
export { createShutdown, type Shutdown, type ShutdownStep, type ShutdownResult } from './shutdown.js';
