import type { BehaviourMap } from '@flightdeck/workload-sim';

/** The images of the conformance tests, the same on both servers: every image starts; `shop/crash:*` never does. */
export const BEHAVIOURS: BehaviourMap = { 'shop/crash:*': { crash: true } };

/** Seconds from scheduling to Ready on both servers (kube-sim's are simulated seconds). */
export const POD_START_SECONDS = 1;
