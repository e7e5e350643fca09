// kube-sim (started by the tests) imports json-merge-patch, which ships no types; kube-sim declares it in its own src.
declare module 'json-merge-patch' {
  export function apply(target: unknown, patch: unknown): unknown;
}
