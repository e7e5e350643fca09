import { RuleError } from '@flightdeck/kernel';
import { HOUR } from './time.js';

/** The structured agenda of a retrospective, in order. */
export const AGENDA = ['SET_THE_STAGE', 'GATHER_DATA', 'GENERATE_INSIGHTS', 'DECIDE_ACTIONS', 'CLOSE'] as const;
export type AgendaStage = (typeof AGENDA)[number];
export const ITEM_KINDS = ['WENT_WELL', 'TO_IMPROVE', 'INSIGHT', 'NOTE'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const ACTION_STATUSES = ['OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** A hotfix's retrospective is due this long after it reached production (release process). */
export const HOTFIX_RETROSPECTIVE_DUE_MS = 48 * HOUR;

export interface RetrospectiveItem {
  id: string;
  stage: AgendaStage;
  kind: ItemKind;
  text: string;
  /** The subject of whoever added the item; `byName` is their display name. */
  by: string;
  byName?: string;
  at: Date;
}

export interface ActionItem {
  id: string;
  title: string;
  owner: string;
  dueDate: Date;
  status: ActionStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface Retrospective {
  id: string;
  releaseId: string;
  status: 'OPEN' | 'COMPLETED';
  /** Opened by analytics itself for a hotfix, rather than by a person. */
  automatic: boolean;
  dueAt?: Date;
  /** The subject of whoever started it (`flightdeck` for an automatic one); `startedByName` is their display name. */
  startedBy: string;
  startedByName?: string;
  startedAt: Date;
  items: RetrospectiveItem[];
  actionItems: ActionItem[];
  completedAt?: Date;
}

function text(value: string, field: string, max = 2000): string {
  const t = value.trim();
  if (!t) throw new RuleError(`${field} must not be empty`, field);
  if (t.length > max) throw new RuleError(`${field} is ${t.length} characters; at most ${max} are allowed`, field);
  return t;
}

function open(r: Retrospective): void {
  if (r.status === 'COMPLETED')
    throw new RuleError(
      `the retrospective of release ${r.releaseId} was completed on ${r.completedAt!.toISOString()}; it takes no more changes`,
      'releaseId',
    );
}

export function newRetrospective(input: {
  id: string;
  releaseId: string;
  by: string;
  byName?: string;
  at: Date;
  dueAt?: Date;
  automatic?: boolean;
}): Retrospective {
  return {
    id: input.id,
    releaseId: input.releaseId,
    status: 'OPEN',
    automatic: input.automatic ?? false,
    ...(input.dueAt ? { dueAt: input.dueAt } : {}),
    startedBy: input.by,
    ...(input.byName ? { startedByName: input.byName } : {}),
    startedAt: input.at,
    items: [],
    actionItems: [],
  };
}

export function addItem(
  r: Retrospective,
  item: { id: string; stage: AgendaStage; kind: ItemKind; text: string; by: string; byName?: string; at: Date },
): Retrospective {
  open(r);
  if (item.stage === 'DECIDE_ACTIONS')
    throw new RuleError(
      'decisions of the DECIDE_ACTIONS stage are action items: use addActionItem (owner and due date required)',
      'stage',
    );
  return { ...r, items: [...r.items, { ...item, text: text(item.text, 'text') }] };
}

export function addActionItem(
  r: Retrospective,
  a: { id: string; title: string; owner: string; dueDate: Date; at: Date },
): Retrospective {
  open(r);
  if (a.dueDate.getTime() < r.startedAt.getTime())
    throw new RuleError(
      `dueDate ${a.dueDate.toISOString()} is before the retrospective started (${r.startedAt.toISOString()}); give a future date`,
      'dueDate',
    );
  const item: ActionItem = {
    id: a.id,
    title: text(a.title, 'title', 300),
    owner: text(a.owner, 'owner', 200),
    dueDate: a.dueDate,
    status: 'OPEN',
    createdAt: a.at,
    updatedAt: a.at,
  };
  return { ...r, actionItems: [...r.actionItems, item] };
}

/** Action items stay editable after the retrospective closed: following them up is the point. */
export function updateActionItem(
  r: Retrospective,
  id: string,
  patch: { status?: ActionStatus; owner?: string; dueDate?: Date; title?: string },
  at: Date,
): Retrospective {
  const existing = r.actionItems.find((a) => a.id === id);
  if (!existing)
    throw new RuleError(
      `action item ${id} is not in the retrospective of release ${r.releaseId} (it has ${r.actionItems.map((a) => a.id).join(', ') || 'none'})`,
      'actionItemId',
    );
  const next: ActionItem = {
    ...existing,
    ...(patch.status ? { status: patch.status } : {}),
    ...(patch.owner !== undefined ? { owner: text(patch.owner, 'owner', 200) } : {}),
    ...(patch.title !== undefined ? { title: text(patch.title, 'title', 300) } : {}),
    ...(patch.dueDate ? { dueDate: patch.dueDate } : {}),
    updatedAt: at,
  };
  return { ...r, actionItems: r.actionItems.map((a) => (a.id === id ? next : a)) };
}

export function complete(r: Retrospective, at: Date): Retrospective {
  open(r);
  return { ...r, status: 'COMPLETED', completedAt: at };
}

export const isActionOverdue = (a: ActionItem, now: Date) =>
  (a.status === 'OPEN' || a.status === 'IN_PROGRESS') && a.dueDate.getTime() < now.getTime();
export const isRetrospectiveOverdue = (r: Retrospective, now: Date) =>
  r.status === 'OPEN' && r.dueAt !== undefined && r.dueAt.getTime() < now.getTime();

/** Which stage the retrospective has reached: the furthest stage holding an item (action items mean DECIDE_ACTIONS; completed means CLOSE). */
export function currentStage(r: Retrospective): AgendaStage {
  if (r.status === 'COMPLETED') return 'CLOSE';
  if (r.actionItems.length) return 'DECIDE_ACTIONS';
  const reached = r.items.map((i) => AGENDA.indexOf(i.stage));
  return AGENDA[Math.max(0, ...reached)]!;
}
