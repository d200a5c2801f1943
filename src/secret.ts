import { inspect } from 'node:util';

const HIDDEN = '[redacted]';

/**
 * A value that must never be shown: string conversion, JSON and
 * `util.inspect` (console.log, debuggers, pino's fallback) all print a
 * placeholder. Only `reveal()` gives the value, at the one place that sends it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return `Secret(${HIDDEN})`;
  }
}
