/** A fault id that is already in use. */
export class FaultConflictError extends Error {
  constructor(readonly id: string) {
    super(`fault id "${id}" is already in use; remove it first (DELETE /faults/${id}) or pick another id`);
    this.name = 'FaultConflictError';
  }
}
