export { startWorkloadSim, behaviourAnnotations, type WorkloadSim, type WorkloadSimOptions } from './workload-sim.js';
export {
  Behaviours,
  builtInDefault,
  behaviourSchema,
  parseBehaviours,
  loadBehaviours,
  type Behaviour,
  type BehaviourMap,
  type PodSpecLike,
} from './behaviours.js';
export { TrafficMetrics, realClock, durationBuckets, type Clock, type PodIdentity } from './traffic-metrics.js';
export { imageTag, versionOfImage } from './image.js';
