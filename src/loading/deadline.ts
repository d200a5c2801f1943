/**
 * The one deadline of each order's work: its turn at the gate, another
 * replica's lock, every attempt and back-off. Created where the order's work
 * starts (the store) and passed down as an AbortSignal; nothing below arms
 * another. The abort reason is the error the client sees, so every layer
 * that stops on the signal reports the same code: SECTIGO_TIMEOUT when the
 * deadline passed, SECTIGO_CANCELLED when the process is stopping.
 */
import { SectigoError } from '../sectigo/errors.js';

export interface OrderDeadline {
  readonly signal: AbortSignal;
  /** What a failure of the order's work means: the deadline's own error once the signal fired, otherwise the failure itself. */
  outcome(error: unknown): unknown;
  /** The order settled: clears the timer and forgets the order. */
  done(): void;
}

export interface OrderDeadlines {
  start(): OrderDeadline;
}

export interface OrderDeadlineOptions {
  /** Total time one order may take; undefined: no deadline (tests). */
  readonly deadlineMs?: number;
  /** Aborted when the process is about to stop: every order in flight is given up. */
  readonly shutdown?: AbortSignal;
}

export function createOrderDeadlines(options: OrderDeadlineOptions): OrderDeadlines {
  const { deadlineMs, shutdown } = options;
  // One controller per order (not AbortSignal.any over the process-long
  // shutdown signal, which would keep a reference per order on it), each
  // forgotten when its order settles.
  const inFlight = new Set<AbortController>();
  const cancelled = () => new SectigoError('SECTIGO_CANCELLED', 'The subgraph is shutting down; the order was given up');
  shutdown?.addEventListener(
    'abort',
    () => {
      for (const controller of inFlight) controller.abort(cancelled());
    },
    { once: true },
  );

  return {
    start() {
      const controller = new AbortController();
      const timer =
        deadlineMs === undefined
          ? undefined
          : setTimeout(
              () =>
                controller.abort(
                  new SectigoError('SECTIGO_TIMEOUT', `Sectigo did not answer within the ${deadlineMs} ms deadline (waiting included)`),
                ),
              deadlineMs,
            );
      inFlight.add(controller);
      if (shutdown?.aborted === true) controller.abort(cancelled());
      const { signal } = controller;
      return {
        signal,
        outcome(error) {
          // A SectigoError stands, whenever it came: an answer from Sectigo, a
          // failure of its own, or this deadline's reason passed up as it is.
          if (error instanceof SectigoError) return error;
          // Anything else (an AbortError from a back-off or a wait) is the deadline's doing.
          return signal.aborted ? (signal.reason as unknown) : error;
        },
        done() {
          clearTimeout(timer);
          inFlight.delete(controller);
        },
      };
    },
  };
}
