import { describe, expect, it } from 'vitest';
import { strategicMerge } from '../src/index.js';

const pod = () => ({
  metadata: { name: 'p', labels: { a: '1', b: '2' }, finalizers: ['x'] },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'web:1',
        ports: [{ containerPort: 80, protocol: 'TCP' }] as { containerPort: number; protocol?: string }[] | undefined,
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        args: ['--one'],
      },
      { name: 'log', image: 'log:1' },
    ],
    volumes: [
      { name: 'data', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'c' } },
    ],
  },
});

describe('strategic merge patch', () => {
  it('merges containers by name, env by name and ports by containerPort; replaces plain lists', () => {
    const out = strategicMerge(
      pod(),
      {
        spec: {
          containers: [
            {
              name: 'web',
              image: 'web:2',
              env: [
                { name: 'B', value: 'two' },
                { name: 'C', value: '3' },
              ],
              ports: [{ containerPort: 443 }],
              args: ['--two'],
            },
          ],
        },
      },
      'Pod',
    ) as ReturnType<typeof pod>;
    const web = out.spec.containers[0]!;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['web', 'log']);
    expect(web.image).toBe('web:2');
    expect(web.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
      { name: 'C', value: '3' },
    ]);
    // A new element lands before the original's others, as on a real API server (conformance/rollout.test.ts).
    expect(web.ports!.map((p) => p.containerPort)).toEqual([443, 80]);
    expect(web.args).toEqual(['--two']);
  });

  it('honours $patch: delete in keyed lists and maps, null deletion, and $patch: replace', () => {
    const out = strategicMerge(
      pod(),
      {
        metadata: { labels: { a: null } },
        spec: { volumes: [{ name: 'cfg', $patch: 'delete' }], containers: [{ name: 'log', $patch: 'delete' }] },
      },
      'Pod',
    ) as ReturnType<typeof pod>;
    expect(out.metadata.labels).toEqual({ b: '2' });
    expect(out.spec.volumes).toEqual([{ name: 'data', emptyDir: {} }]);
    expect(out.spec.containers.map((c) => c.name)).toEqual(['web']);
    const replaced = strategicMerge(
      pod(),
      { spec: { containers: [{ name: 'only', image: 'o:1' }, { $patch: 'replace' }] } },
      'Pod',
    ) as ReturnType<typeof pod>;
    expect(replaced.spec.containers).toEqual([{ name: 'only', image: 'o:1' }]);
    const mapReplaced = strategicMerge(
      pod(),
      { metadata: { labels: { c: '3', $patch: 'replace' } } },
      'Pod',
    ) as ReturnType<typeof pod>;
    expect(mapReplaced.metadata.labels).toEqual({ c: '3' });
  });

  it('understands kubectl directives: $setElementOrder, $retainKeys, $deleteFromPrimitiveList, and merges finalizers as a set', () => {
    const out = strategicMerge(
      pod(),
      {
        metadata: { finalizers: ['y'] },
        spec: {
          '$setElementOrder/containers': [{ name: 'log' }, { name: 'web' }],
          containers: [{ name: 'web', image: 'web:3' }],
          volumes: [{ name: 'data', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/d' } }],
        },
      },
      'Pod',
    ) as ReturnType<typeof pod> & { spec: { volumes: Record<string, unknown>[] } };
    expect(out.spec.containers.map((c) => c.name)).toEqual(['log', 'web']);
    expect(out.spec.volumes[0]).toEqual({ name: 'data', hostPath: { path: '/d' } });
    expect(out.metadata.finalizers).toEqual(['x', 'y']);
    const removed = strategicMerge(
      pod(),
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } },
      'Pod',
    ) as ReturnType<typeof pod>;
    expect(removed.metadata.finalizers).toEqual([]);
  });

  it('merges Service ports by port', () => {
    const svc = {
      spec: {
        ports: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443 },
        ],
      },
    };
    const out = strategicMerge(svc, { spec: { ports: [{ port: 443, targetPort: 8443 }] } }, 'Service') as typeof svc;
    expect(out.spec.ports).toEqual([
      { name: 'http', port: 80 },
      { name: 'https', port: 443, targetPort: 8443 },
    ]);
  });
});
