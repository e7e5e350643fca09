/**
 * The RolloutTarget port's errors: the cluster refused `verb` on `object` for good, so asking again cannot help
 * (a person has to grant a permission, put an object back, or settle who owns a field). Adapters translate their
 * client's errors into these; anything else a target throws (a time-out, a server that is down) passes and is
 * tried again at the next tick.
 */
export class TargetRefusedError extends Error {
  override readonly name: string = 'TargetRefusedError';
  constructor(
    /** The object as people name it: `Deployment default/web`. */
    readonly object: string,
    /** What was refused, as Kubernetes RBAC names it: get, create, patch. */
    readonly verb: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Not allowed (Kubernetes 403): the service's account lacks the verb on the object. */
export class TargetForbiddenError extends TargetRefusedError {
  override readonly name = 'TargetForbiddenError';
}

/** Gone (Kubernetes 404): the object was deleted, or never existed. */
export class TargetNotFoundError extends TargetRefusedError {
  override readonly name = 'TargetNotFoundError';
}

export interface FieldConflict {
  /** The field as Kubernetes prints it: `.spec.replicas`, `.spec.template.spec.containers[name="app"].image`. */
  field: string;
  manager: string;
}

/** Owned by someone else (Kubernetes 409): another field manager applies the fields, or another object holds the name. */
export class TargetConflictError extends TargetRefusedError {
  override readonly name = 'TargetConflictError';
  constructor(
    object: string,
    verb: string,
    message: string,
    /** The fields another manager holds, when that is the conflict. */
    readonly conflicts: FieldConflict[] = [],
    options?: ErrorOptions,
  ) {
    super(object, verb, message, options);
  }
}

/** Refused as invalid (Kubernetes 422): the change would make the object one the cluster does not accept. */
export class TargetInvalidError extends TargetRefusedError {
  override readonly name = 'TargetInvalidError';
}
