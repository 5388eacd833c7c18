const REDACTED = '<redacted>';

/**
 * A credential read from a file or the environment. It prints, serialises and inspects as
 * "<redacted>", so a config object that ends up in a log line or an HTTP response cannot leak
 * it; code that really needs the value calls reveal().
 */
export class Secret {
  static readonly REDACTED = REDACTED;
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** Plain comparison for change detection between two configs (not for authentication). */
  sameAs(other: Secret | null): boolean {
    return other !== null && other.#value === this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${REDACTED})`;
  }
}
