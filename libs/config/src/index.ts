export { ConfigError, formatIssues, type ConfigIssue } from './errors.js';
export { loadConfig, loadConfigOrExit } from './load.js';
export { describeEnv, formatEnvHelp, envMarkdownTable, type EnvRow } from './describe.js';
export { envString, envUrl, envUrlList, envInt, envPort, envBoolean, envEnum, natsServers } from './variables.js';
export { httpEnv, loggingEnv, mongoEnv, natsEnv, authEnv, shutdownEnv, LOG_LEVELS } from './shared-env.js';
export { addCrossRule, type CrossRule } from './rules.js';
