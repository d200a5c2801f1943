/**
 * Which certificate fields the endpoint holds back, per the two doc pages.
 * Everything not listed here is sent whenever the order has it.
 */
import type { DetailLevel } from '../sectigo/detail.js';

/** "Available if queryType = 1 or 2" (the current page, plus csrStatus/dcvStatus from the v1.1 page). */
export const DETAILED_STATUS_FIELDS = Object.freeze([
  'csrStatus',
  'dcvStatus',
  'ovCallBackStatus',
  'organizationValidationStatus',
  'freeDVUPStatus',
  'evClickThroughStatus',
  'caaStatus',
  'qualysCreationDate',
  'qualysExpirationDate',
] as const);

/** "Only present when showValidityPeriod=Y". */
export const VALIDITY_PERIOD_FIELDS = Object.freeze([
  'notBefore',
  'notAfter',
  'certificateDuration',
  'productTermStartDate',
  'productTermEndDate',
  'productTermDuration',
] as const);

const DETAILED: ReadonlySet<string> = new Set(DETAILED_STATUS_FIELDS);
const VALIDITY: ReadonlySet<string> = new Set(VALIDITY_PERIOD_FIELDS);

/** Whether the endpoint sends this certificate field at the level a request asked for. */
export function isCertificateFieldDisclosed(name: string, disclosure: DetailLevel): boolean {
  if (DETAILED.has(name)) return disclosure.queryType >= 1;
  if (VALIDITY.has(name)) return disclosure.showValidityPeriod;
  return true;
}
