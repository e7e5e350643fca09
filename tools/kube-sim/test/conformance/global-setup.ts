/**
 * One real control plane (tools/kube-local) for every conformance file: each file works in namespaces of its own
 * on it, and on a kube-sim of its own. Needs kube-local's binaries (npm run kube-local:build; nx builds them
 * before this project's tests).
 */
import type { TestProject } from 'vitest/node';
import { startKubeLocal } from '@flightdeck/kube-local';
import { BEHAVIOURS, POD_START_SECONDS } from './behaviours.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeLocal: { url: string; kubeconfig: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const local = await startKubeLocal({ behaviours: BEHAVIOURS, podStartSeconds: POD_START_SECONDS });
  project.provide('kubeLocal', { url: local.url, kubeconfig: local.kubeconfig });
  return () => local.stop();
}
