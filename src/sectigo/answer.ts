/**
 * The one result type of loading an order, from the upstream to the
 * resolver. The client makes it (`upstream`, not yet held anywhere); each
 * layer that serves it says where it was held and for how much longer.
 */
import type { DetailLevel } from './detail.js';
import type { OrderStatus } from './domain.js';

/**
 * Where an answer was held when it was served. `cache`: this replica's
 * memory. `shared`: another replica's answer from Redis. `coalesced`: an
 * in-flight fetch started by another load. `stale`: past its TTL, standing in
 * while the upstream is unavailable.
 */
export type AnswerSource = 'upstream' | 'cache' | 'shared' | 'coalesced' | 'stale';

export interface OrderAnswer {
  readonly status: OrderStatus;
  readonly source: AnswerSource;
  /** How much longer a cache serves this answer (0 when none holds it): the basis of cache hints. */
  readonly freshForMs: number;
  /**
   * The cache entry that holds this answer, when one does: asked later
   * (`OrderStore.heldForMs`), it says whether that same entry is still held
   * and for how much longer. What a response cache checks its dependencies with.
   */
  readonly held?: HeldAnswer;
}

/**
 * Opaque: which cache entry served an answer, for which need. A serial
 * number, not the entry itself: holding it must not keep an evicted answer alive.
 */
export interface HeldAnswer {
  readonly orderKey: string;
  readonly need: DetailLevel;
  readonly serial: number;
}

/** What the client adds: the size of the body as received. */
export interface UpstreamAnswer extends OrderAnswer {
  readonly source: 'upstream';
  readonly bytes: number;
}
