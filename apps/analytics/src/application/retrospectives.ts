import { retrospectiveCompleted } from '@flightdeck/events';
import {
  addActionItem,
  addItem,
  complete,
  HOTFIX_RETROSPECTIVE_DUE_MS,
  isActionOverdue,
  newRetrospective,
  updateActionItem,
  type ActionItem,
  type ActionStatus,
  type AgendaStage,
  type ItemKind,
  type Retrospective,
} from '../domain/retrospective.js';
import { checkRevision, NotFoundError, retryOnConflict } from '@flightdeck/kernel';
import type {
  Clock,
  IdGenerator,
  ProjectionStore,
  RequestMeta,
  RetrospectiveStore,
  StoredRetrospective,
} from './ports.js';

export class Retrospectives {
  constructor(
    private readonly deps: {
      store: RetrospectiveStore;
      projections: ProjectionStore;
      clock: Clock;
      newId: IdGenerator;
    },
  ) {}

  find(releaseId: string): Promise<StoredRetrospective | undefined> {
    return this.deps.store.find(releaseId);
  }

  private async existing(releaseId: string): Promise<StoredRetrospective> {
    const s = await this.deps.store.find(releaseId);
    if (!s) throw new NotFoundError(`release ${releaseId} has no retrospective; start one with startRetrospective`);
    return s;
  }

  /** Starts the release's retrospective; starting it again returns the one already there. */
  async start(meta: RequestMeta, releaseId: string, dueAt?: Date): Promise<StoredRetrospective> {
    if (!(await this.deps.projections.release(releaseId)))
      throw new NotFoundError(`release ${releaseId} is not known to analytics (no planning event for it has arrived)`);
    return this.deps.store.create(
      newRetrospective({
        id: this.deps.newId(),
        releaseId,
        by: meta.by,
        ...(meta.byName ? { byName: meta.byName } : {}),
        at: this.deps.clock.now(),
        ...(dueAt ? { dueAt } : {}),
      }),
    );
  }

  /** The release process: a hotfix gets a retrospective due within 48 h of its release. */
  openForHotfix(releaseId: string, releasedAt: Date): Promise<StoredRetrospective> {
    return this.deps.store.create(
      newRetrospective({
        id: `hotfix-${releaseId}`,
        releaseId,
        by: 'flightdeck',
        at: releasedAt,
        dueAt: new Date(releasedAt.getTime() + HOTFIX_RETROSPECTIVE_DUE_MS),
        automatic: true,
      }),
    );
  }

  /**
   * Applies a change to the release's retrospective. With `expectedRevision` (what the caller saw) a stale or lost
   * write is a ConflictError; without one, a write that lost the race to another person's is re-applied to the
   * retrospective as it is now, its rules checked again.
   */
  private change(
    releaseId: string,
    expectedRevision: number | undefined,
    f: (r: Retrospective) => Retrospective,
    events?: (r: Retrospective) => ReturnType<typeof retrospectiveCompleted.create>[],
  ) {
    return retryOnConflict(
      async () => {
        const s = await this.existing(releaseId);
        checkRevision('retrospective of release', releaseId, expectedRevision, s.revision);
        const next = f(s.retrospective);
        return this.deps.store.save(next, s.revision, events?.(next));
      },
      { expectedRevision },
    );
  }

  addItem(
    meta: RequestMeta,
    releaseId: string,
    input: { stage: AgendaStage; kind: ItemKind; text: string },
    expectedRevision?: number,
  ) {
    return this.change(releaseId, expectedRevision, (r) =>
      addItem(r, {
        ...input,
        id: this.deps.newId(),
        by: meta.by,
        ...(meta.byName ? { byName: meta.byName } : {}),
        at: this.deps.clock.now(),
      }),
    );
  }

  addActionItem(
    meta: RequestMeta,
    releaseId: string,
    input: { title: string; owner: string; dueDate: Date },
    expectedRevision?: number,
  ) {
    return this.change(releaseId, expectedRevision, (r) =>
      addActionItem(r, { ...input, id: this.deps.newId(), at: this.deps.clock.now() }),
    );
  }

  updateActionItem(
    _meta: RequestMeta,
    releaseId: string,
    actionItemId: string,
    patch: { status?: ActionStatus; owner?: string; dueDate?: Date; title?: string },
    expectedRevision?: number,
  ) {
    return this.change(releaseId, expectedRevision, (r) =>
      updateActionItem(r, actionItemId, patch, this.deps.clock.now()),
    );
  }

  complete(meta: RequestMeta, releaseId: string, expectedRevision?: number) {
    return this.change(
      releaseId,
      expectedRevision,
      (r) => complete(r, this.deps.clock.now()),
      (r) => [
        retrospectiveCompleted.create({
          source: '/flightdeck/analytics',
          subject: r.releaseId,
          ...(meta.correlationId ? { correlationid: meta.correlationId } : {}),
          data: {
            releaseId: r.releaseId,
            retrospectiveId: r.id,
            items: r.items.length,
            actionItems: r.actionItems.map((a) => ({
              id: a.id,
              title: a.title,
              owner: a.owner,
              dueDate: a.dueDate.toISOString(),
            })),
            completedAt: r.completedAt!.toISOString(),
            by: meta.by,
          },
        }),
      ],
    );
  }

  /** Action items past their due date and not done, across every retrospective. */
  async overdueActionItems(): Promise<{ releaseId: string; item: ActionItem }[]> {
    const now = this.deps.clock.now();
    const all = await this.deps.store.open();
    return all.flatMap((s) =>
      s.retrospective.actionItems
        .filter((a) => isActionOverdue(a, now))
        .map((item) => ({ releaseId: s.retrospective.releaseId, item })),
    );
  }
}
