import { NotFoundError, RuleError } from '@flightdeck/kernel';
import {
  combineEffectiveness,
  effectivenessSamples,
  MIN_OUTCOMES,
  tooFewOutcomes,
} from '../domain/ai-effectiveness.js';
import { combinedDoraMetrics } from '../domain/dora-index.js';
import { buildHistory, type History, type Incident, type Release } from '../domain/history.js';
import { combineKpis, kpiPartial } from '../domain/kpis.js';
import { analyseRelease, releaseMetrics } from '../domain/release-metrics.js';
import { isProductPartition, mergeIncidents, UNATTRIBUTED } from '../domain/partitions.js';
import type { Scope } from '../domain/scope.js';
import { calendarPeriods, inWindow, isTimeZone, type TrendInterval, type Window } from '../domain/time.js';
import type { DoraMetrics } from '../domain/dora.js';
import { HistoryPartitions } from './history-partitions.js';
import type { Clock, ProjectionStore } from './ports.js';

export interface WindowArgs {
  from?: Date;
  to?: Date;
  timeZone?: string;
}

/** At most about five years per query: a bound on the work one request can ask for. */
const MAX_WINDOW_MS = 5 * 366 * 86_400_000;
export const DEFAULT_WINDOW_MS = 30 * 86_400_000;
/** Points of one trend: a daily trend of a year, a weekly one of seven years. */
const MAX_TREND_POINTS = 400;

export class AnalyticsQueries {
  /** The histories the answers come from; refreshed by whoever owns the queries (the service, a test, the benchmark). */
  readonly partitions: HistoryPartitions;

  constructor(private readonly deps: { store: ProjectionStore; clock: Clock; partitions?: HistoryPartitions }) {
    this.partitions = deps.partitions ?? new HistoryPartitions({ store: deps.store });
  }

  window(a: WindowArgs): Window {
    const to = a.to ?? this.deps.clock.now();
    const from = a.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
    if (from.getTime() >= to.getTime())
      throw new RuleError(`from (${from.toISOString()}) must be before to (${to.toISOString()})`, 'from');
    if (to.getTime() - from.getTime() > MAX_WINDOW_MS)
      throw new RuleError(
        `the window from ${from.toISOString()} to ${to.toISOString()} is longer than five years; ask for a shorter one`,
        'from',
      );
    if (a.timeZone && !isTimeZone(a.timeZone))
      throw new RuleError(`timeZone '${a.timeZone}' is not an IANA time zone such as Europe/Berlin or UTC`, 'timeZone');
    return { from, to, ...(a.timeZone ? { timeZone: a.timeZone } : {}) };
  }

  /** The joined history of a product (or all) as of the partitions' last refresh. */
  history(product?: string): Promise<History> {
    return this.partitions.history(product);
  }

  /**
   * For a product, its partition's DoraIndex; for the organisation (or a team across products), every partition's
   * index combined: a change to one product rebuilds only that product's index.
   */
  async dora(scope: Scope, w: WindowArgs) {
    const window = this.window(w);
    return (await this.doraParts(scope))(window);
  }

  /**
   * The four keys per calendar day, week or month of the window (in its time zone; the first and last clipped to
   * it): whether the team is getting better. Each point is a window query on the same indexes.
   */
  async doraTrend(scope: Scope, w: WindowArgs, interval: TrendInterval) {
    const window = this.window(w);
    const periods = calendarPeriods(window, interval);
    if (periods.length > MAX_TREND_POINTS) {
      throw new RuleError(
        `${periods.length} ${interval.toLowerCase()}s from ${window.from.toISOString()} to ${window.to.toISOString()} are more than the ${MAX_TREND_POINTS} points a trend gives; ask for a longer interval or a shorter window`,
        'interval',
      );
    }
    const metrics = await this.doraParts(scope);
    return { window, interval, points: periods.map(metrics) };
  }

  private async doraParts(scope: Scope): Promise<(window: Window) => DoraMetrics> {
    const parts = await this.parts(scope);
    return (window) => combinedDoraMetrics(parts, window);
  }

  /**
   * The histories a scope's answer combines: its product's partition, or for the organisation (or a team across
   * products) every partition. Every rollout and release of a product's partition is that product's, so asking it
   * with the product in scope gives the same answer and uses what the refresh built and memoised for the product.
   */
  private async parts(scope: Scope): Promise<{ history: History; scope: Scope }[]> {
    if (scope.product !== undefined) return [{ history: await this.history(scope.product), scope }];
    return (await this.partitions.entries()).map(([key, history]) => ({
      history,
      scope: isProductPartition(key) ? { ...scope, product: key } : scope,
    }));
  }

  /** The products with metrics. */
  products(): Promise<string[]> {
    return this.partitions.products();
  }

  /** When the metrics last caught up with every projected fact. */
  asOf(): Date | undefined {
    return this.partitions.asOf();
  }

  async kpis(scope: Scope, w: WindowArgs) {
    const window = this.window(w);
    return {
      window,
      ...combineKpis((await this.histories(scope)).map((history) => kpiPartial(history, scope, window))),
    };
  }

  async aiEffectiveness(scope: Scope, w: WindowArgs) {
    const window = this.window(w);
    const parts = (await this.histories(scope)).map((history) => effectivenessSamples(history, scope, window));
    return {
      window,
      rows: combineEffectiveness(parts),
      tooFewOutcomes: tooFewOutcomes(parts),
      minimumOutcomes: MIN_OUTCOMES,
    };
  }

  /**
   * The partitions a KPI or AI answer combines: its product's, or every one. Unlike the DoraIndex these keep nothing
   * per scope, so a product's partition (all of it the product's) is asked without the product rather than filtered
   * down to itself first.
   */
  private async histories(scope: Scope): Promise<History[]> {
    return scope.product !== undefined
      ? [await this.history(scope.product)]
      : (await this.partitions.entries()).map(([, history]) => history);
  }

  private async releaseWithHistory(releaseId: string): Promise<{ release: Release; history: History }> {
    const record = await this.deps.store.release(releaseId);
    if (!record)
      throw new NotFoundError(`release ${releaseId} is not known to analytics (no planning event for it has arrived)`);
    const partition = record.header.product ?? UNATTRIBUTED;
    let history = await this.history(partition);
    // Stored since the partitions' last refresh: catch up once rather than answer without it.
    if (!history.releases.has(releaseId)) {
      await this.partitions.refresh();
      history = await this.history(partition);
    }
    const release = history.releases.get(releaseId);
    if (!release)
      throw new NotFoundError(
        `release ${releaseId} is not in the ${partition ? `'${partition}'` : 'unattributed'} metrics yet; retry in a moment`,
      );
    return { release, history };
  }

  async releaseMetrics(releaseId: string) {
    const record = await this.deps.store.release(releaseId);
    if (!record) return undefined;
    const { release, history } = await this.releaseWithHistory(releaseId);
    return releaseMetrics(release, history);
  }

  async releaseAnalysis(releaseId: string) {
    const { release, history } = await this.releaseWithHistory(releaseId);
    return analyseRelease(release, history);
  }

  /** Without a product, every partition's incidents: listing them need not join the organisation's history. */
  private async allIncidents(product?: string): Promise<Incident[]> {
    if (product !== undefined) return (await this.history(product)).incidents;
    return mergeIncidents((await this.partitions.entries()).map(([, history]) => history));
  }

  async incidents(filter: {
    product?: string;
    from?: Date;
    to?: Date;
    severity?: string;
    open?: boolean;
  }): Promise<Incident[]> {
    const window =
      filter.from || filter.to ? { from: filter.from ?? new Date(0), to: filter.to ?? new Date(8.64e15) } : undefined;
    return (await this.allIncidents(filter.product))
      .filter(
        (i) =>
          (!filter.product || i.product === filter.product) && (!filter.severity || i.severity === filter.severity),
      )
      .filter((i) => filter.open === undefined || filter.open === !i.resolvedAt)
      .filter((i) => !window || inWindow(i.openedAt, window))
      .sort((a, b) => (b.openedAt?.getTime() ?? 0) - (a.openedAt?.getTime() ?? 0));
  }

  async incident(id: string): Promise<Incident | undefined> {
    const record = await this.deps.store.incident(id);
    if (!record) return undefined;
    return (
      (await this.allIncidents(record.header.product)).find((i) => i.id === id) ??
      buildHistory({ releases: [], rollouts: [], incidents: [record] }).incidents[0]
    );
  }
}
