import type { Logger } from 'pino';
import type { ClusterApi } from '../api/cluster-api.js';
import { ApiError } from '../api/errors.js';
import { clone, isPlainObject, type KubeObject } from '../api/types.js';
import { kinds } from '../kinds/registry.js';
import type { StoreEvent } from '../store/store.js';
import type { Behaviours, PodSpecLike } from '@flightdeck/workload-sim';
import { rec } from './deployment-util.js';
import type { EventRecorder } from './event-recorder.js';

const nodeName = 'kube-sim-node';
const backoffCapSeconds = 300;

interface PodRun {
  images: string;
  cancel?: () => void;
}

type Rec = Record<string, unknown>;

function containersOf(pod: KubeObject): Rec[] {
  const list = rec(pod.spec).containers;
  return Array.isArray(list) ? list.map(rec) : [];
}

/**
 * The simulated kubelet: schedules every new pod onto the one node, starts its containers after the image's start
 * delay and reports Ready, or, for an image marked as crashing, keeps restarting it with a growing back-off
 * (restartCount rises, the pod never becomes Ready). The traffic of Ready pods is @flightdeck/workload-sim's, which
 * watches them through the API like any other client.
 */
export class Kubelet {
  private readonly runs = new Map<string, PodRun>();
  private nextIp = 1;

  constructor(
    private readonly api: ClusterApi,
    private readonly behaviours: Behaviours,
    private readonly events: EventRecorder,
    private readonly log: Logger,
    /** This simulator's kubelet schedules too: the scheduler's Events come from it. */
    private readonly scheduler: EventRecorder = events,
  ) {}

  onEvent(e: StoreEvent): void {
    if (e.resource !== 'core/pods') return;
    const uid = e.object.metadata.uid!;
    if (e.type === 'DELETED') {
      this.runs.get(uid)?.cancel?.();
      this.runs.delete(uid);
      return;
    }
    const images = containersOf(e.object)
      .map((c) => c.image)
      .join(',');
    const run = this.runs.get(uid);
    if (!run) {
      this.runs.set(uid, { images });
      setImmediate(() => this.safely(() => this.schedule(e.object.metadata.namespace!, e.object.metadata.name!, uid)));
    } else if (run.images !== images) {
      // A changed image restarts the containers with the new image's behaviour.
      run.images = images;
      run.cancel?.();
      setImmediate(() =>
        this.safely(() => this.startAfterDelay(e.object.metadata.namespace!, e.object.metadata.name!, uid, 0)),
      );
    }
  }

  /** After a restart from a state file: take over pods already in the store. */
  resume(): void {
    for (const pod of this.api.store.scan('core/pods')) {
      const uid = pod.metadata.uid!;
      this.runs.set(uid, {
        images: containersOf(pod)
          .map((c) => c.image)
          .join(','),
      });
      const ready = (rec(pod.status).conditions as Rec[] | undefined)?.some(
        (c) => c.type === 'Ready' && c.status === 'True',
      );
      if (!ready) this.safely(() => this.startAfterDelay(pod.metadata.namespace!, pod.metadata.name!, uid, 0));
    }
  }

  stop(): void {
    for (const r of this.runs.values()) r.cancel?.();
    this.runs.clear();
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return; // the pod went away meanwhile
      this.log.error({ err: e }, 'kubelet failed to update a pod');
    }
  }

  private current(namespace: string, name: string, uid: string): KubeObject | undefined {
    const pod = this.api.tryGet(kinds.pods, namespace, name);
    return pod && pod.metadata.uid === uid && !pod.metadata.deletionTimestamp ? pod : undefined;
  }

  private behaviourOf(pod: KubeObject) {
    return this.behaviours.forPod(pod.spec as PodSpecLike);
  }

  private writeStatus(pod: KubeObject, status: Rec): void {
    const next = clone(pod);
    next.status = status;
    delete next.metadata.resourceVersion;
    this.api.updateStatus(kinds.pods, pod.metadata.namespace, pod.metadata.name!, next);
  }

  private schedule(namespace: string, name: string, uid: string): void {
    let pod = this.current(namespace, name, uid);
    if (!pod) return;
    if (!rec(pod.spec).nodeName) {
      const bound = clone(pod);
      bound.spec = { ...rec(bound.spec), nodeName };
      delete bound.metadata.resourceVersion;
      pod = this.api.update(kinds.pods, namespace, name, bound);
    }
    const now = this.api.clock.timestamp();
    const n = this.nextIp++;
    this.writeStatus(pod, {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }],
      hostIP: '10.0.0.1',
      podIP: `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`,
      startTime: now,
      qosClass: 'BestEffort',
      containerStatuses: containersOf(pod).map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
      })),
    });
    this.scheduler.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeName}`);
    this.startAfterDelay(namespace, name, uid, this.behaviourOf(pod).startSeconds);
  }

  private startAfterDelay(namespace: string, name: string, uid: string, seconds: number): void {
    const run = this.runs.get(uid);
    if (!run) return;
    run.cancel = this.api.clock.after(seconds, () => this.safely(() => this.start(namespace, name, uid, 0)));
  }

  private start(namespace: string, name: string, uid: string, restarts: number): void {
    const pod = this.current(namespace, name, uid);
    const run = this.runs.get(uid);
    if (!pod || !run) return;
    const behaviour = this.behaviourOf(pod);
    const now = this.api.clock.timestamp();
    const base = rec(pod.status);
    const scheduled = {
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: base.startTime ?? now,
    };
    if (behaviour.crash) {
      const backoff = Math.min(10 * 2 ** restarts, backoffCapSeconds);
      this.writeStatus(pod, {
        ...base,
        phase: 'Running',
        conditions: [
          { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: base.startTime ?? now },
          {
            type: 'Ready',
            status: 'False',
            lastProbeTime: null,
            lastTransitionTime: now,
            reason: 'ContainersNotReady',
            message:
              'containers with unready status: [' +
              containersOf(pod)
                .map((c) => c.name)
                .join(' ') +
              ']',
          },
          {
            type: 'ContainersReady',
            status: 'False',
            lastProbeTime: null,
            lastTransitionTime: now,
            reason: 'ContainersNotReady',
          },
          scheduled,
        ],
        containerStatuses: containersOf(pod).map((c) => ({
          name: c.name,
          image: c.image,
          imageID: `docker-pullable://${String(c.image)}`,
          ready: false,
          started: false,
          restartCount: restarts + 1,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off ${backoff}s restarting failed container=${String(c.name)} pod=${name}_${namespace}(${uid})`,
            },
          },
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
        })),
      });
      this.events.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
      run.cancel = this.api.clock.after(backoff, () =>
        this.safely(() => this.start(namespace, name, uid, restarts + 1)),
      );
      return;
    }
    this.writeStatus(pod, {
      ...base,
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: base.startTime ?? now },
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        scheduled,
      ],
      containerStatuses: containersOf(pod).map((c) => {
        const previous = (Array.isArray(base.containerStatuses) ? base.containerStatuses.map(rec) : []).find(
          (s) => s.name === c.name,
        );
        return {
          name: c.name,
          image: c.image,
          imageID: `docker-pullable://${String(c.image)}`,
          ready: true,
          started: true,
          restartCount:
            isPlainObject(previous) && typeof previous.restartCount === 'number' ? previous.restartCount : 0,
          state: { running: { startedAt: now } },
        };
      }),
    });
    for (const c of containersOf(pod))
      this.events.record(pod, 'Normal', 'Started', `Started container ${String(c.name)}`);
  }
}
