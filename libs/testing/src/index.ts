export { freePort } from './free-port.js';
export { requireBinary, hasBinary } from './binaries.js';
export { startProcess, type RunningProcess } from './process.js';
export { startNatsServer, type NatsServerHandle } from './nats-server.js';
export { startMongo, databaseUri, type MongoHandle } from './mongo.js';
export {
  startOpenAIStub,
  type OpenAIStub,
  type OpenAIStubOptions,
  type StubReply,
  type StubFailure,
  type StubRequest,
  type ChatRequest,
} from './openai-stub.js';
export { startPrometheus, type PrometheusHandle, type PromSample } from './prometheus.js';
export { startAlertmanager, type AlertmanagerHandle } from './alertmanager.js';
export { eventually, DEADLINES } from './eventually.js';
export { gql, tokensFor, type GraphQLResult } from './graphql.js';
export { startSmtpSink, type SmtpSink, type ReceivedMail } from './smtp-sink.js';
export { startHttpReceiver, type HttpReceiver, type ReceivedRequest } from './http-receiver.js';
export {
  repoRoot,
  startServiceProcess,
  startRestartableServiceProcess,
  startReadyLineProcess,
  type ServiceProcess,
  type ServiceProcessOptions,
  type RestartableServiceProcess,
  type ReadyLineProcess,
} from './node-process.js';
