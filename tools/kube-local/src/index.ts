export { startKubeLocal, type KubeLocal, type KubeLocalOptions } from './kube-local.js';
export { StartError } from './wait.js';
export { defaultControllers } from './components.js';
export { defaultBinDir, binaryNames } from './binaries.js';
export { serviceAccountKubeconfig, type ServiceAccountRef } from './service-account.js';
export { readAudit, type AuditEvent } from './audit.js';
export { tokenKubeconfig } from './kubeconfig.js';
