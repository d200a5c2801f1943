/**
 * How much the upstream is asked to return: `queryType` (0 status only,
 * 1 detailed status, 2 detailed status plus replacement orders) and
 * `showValidityPeriod`. Levels form a lattice: an answer fetched at a level
 * serves every level it covers.
 */
export type QueryType = 0 | 1 | 2;

export interface DetailLevel {
  readonly queryType: QueryType;
  readonly showValidityPeriod: boolean;
}

export const STATUS_ONLY: DetailLevel = Object.freeze({ queryType: 0, showValidityPeriod: false });
export const FULL_DETAIL: DetailLevel = Object.freeze({ queryType: 2, showValidityPeriod: true });

export function covers(have: DetailLevel, need: DetailLevel): boolean {
  return have.queryType >= need.queryType && (have.showValidityPeriod || !need.showValidityPeriod);
}

/** The smallest level that covers both. */
export function joinLevels(a: DetailLevel, b: DetailLevel): DetailLevel {
  if (covers(a, b)) return a;
  if (covers(b, a)) return b;
  return {
    queryType: a.queryType >= b.queryType ? a.queryType : b.queryType,
    showValidityPeriod: a.showValidityPeriod || b.showValidityPeriod,
  };
}

export function levelKey(level: DetailLevel): string {
  return `${level.queryType}${level.showValidityPeriod ? 'Y' : 'N'}`;
}

const ALL_LEVELS: readonly DetailLevel[] = ([0, 1, 2] as const).flatMap((queryType) =>
  [false, true].map((showValidityPeriod) => Object.freeze({ queryType, showValidityPeriod })),
);

/** Every level that serves `need`, the smallest first. */
export function levelsCovering(need: DetailLevel): readonly DetailLevel[] {
  return ALL_LEVELS.filter((level) => covers(level, need));
}
