export { startKubeSim, type KubeSim, type KubeSimOptions } from './kube-sim.js';
export { kubeconfigFor, writeKubeconfig } from './kubeconfig.js';
export { parseBehaviours, loadBehaviours, type Behaviour, type BehaviourMap } from '@flightdeck/workload-sim';
export { strategicMerge } from './patch/strategic-merge.js';
