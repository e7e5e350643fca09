// What a release keeps of its code freeze: the checklist ticks and the exceptions let in (rules in code-freeze.ts).

export interface FreezeTick {
  itemId: string;
  /** A link or a sentence showing it is done (a pipeline run, the branch protection settings…). */
  evidence: string;
  by: string;
  byName?: string;
  at: Date;
}

/** A change let in during the freeze by the release manager. */
export interface FreezeException {
  changeId: string;
  reason: string;
  by: string;
  byName?: string;
  at: Date;
}

export interface FreezeRecord {
  ticks: FreezeTick[];
  exceptions: FreezeException[];
}
