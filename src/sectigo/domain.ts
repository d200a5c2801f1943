/**
 * Domain types for an order-status answer, mapped once from the wire shape
 * (mapping.ts; its field readers in field-reader.ts).
 *
 * Rules: empty values are null, empty list items are dropped, UNIX seconds
 * become ISO-8601 UTC. A key is "modelled" only when its value could be
 * represented faithfully; every other key, including a known key whose value
 * did not parse (an enum value Sectigo adds later, say), lands in
 * `otherFields` under its upstream name, so nothing the upstream sends is lost.
 */
import type { DetailLevel } from './detail.js';

export interface Field {
  readonly name: string;
  readonly value: string;
}

export type ValidationState = 'NOT_REQUIRED' | 'NOT_COMPLETED' | 'COMPLETED' | 'IN_PROGRESS';
export type QualysAccountType = 'CUSTOMER' | 'PROSPECT';
export type SuggestedOrganizationStatus = 'FOUND' | 'NOT_FOUND' | 'NOT_YET_COMPLETED' | 'NOT_APPLICABLE';

export interface Period {
  /** ISO-8601 UTC. */
  readonly start: string | null;
  readonly end: string | null;
  readonly durationDays: number | null;
}

export interface ValidationStatus {
  readonly csr: ValidationState | null;
  readonly dcv: ValidationState | null;
  readonly ovCallBack: ValidationState | null;
  readonly organization: ValidationState | null;
  readonly freeDvUpgrade: ValidationState | null;
  readonly evClickThrough: ValidationState | null;
  readonly caa: ValidationState | null;
}

export interface ShippingContact {
  readonly title: string | null;
  readonly forename: string | null;
  readonly surname: string | null;
  readonly email: string | null;
  readonly phone: string | null;
}

export interface ShippingDetails {
  readonly upsTrackingId: string | null;
  readonly organizationName: string | null;
  readonly organizationalUnitName: string | null;
  readonly streetAddress: readonly string[];
  readonly locality: string | null;
  readonly stateOrProvince: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
  readonly contact: ShippingContact | null;
}

export interface HackerGuardianLicense {
  readonly merchantId: string | null;
  readonly loginName: string | null;
  readonly companyName: string | null;
  readonly accountType: QualysAccountType | null;
  readonly ipsPurchased: number | null;
  readonly ipsAdded: number | null;
  /** ISO-8601 UTC when sent as UNIX seconds, otherwise the date as sent. */
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
}

export interface WebPlatformAccount {
  readonly userId: string | null;
  /** swpActive: 0 = active, 1 = disabled. */
  readonly active: boolean | null;
  readonly userEmail: string | null;
  readonly partnerId: string | null;
}

export interface SiteLockAccount {
  readonly userId: string | null;
  readonly siteIds: readonly string[];
}

export interface License {
  readonly status: string | null;
  readonly syncStatus: string | null;
  readonly rejectionSource: string | null;
  readonly statusReason: string | null;
  readonly hackerGuardian: HackerGuardianLicense | null;
  readonly webPlatform: WebPlatformAccount | null;
  readonly siteLock: SiteLockAccount | null;
}

export interface Trademark {
  readonly office: string | null;
  readonly identifier: string | null;
  readonly countryName: string | null;
  readonly countryCode: string | null;
  /** As sent: Sectigo's sample has -1. */
  readonly logoHostedByCA: number | null;
}

export interface Certificate {
  readonly index: number;
  readonly serialNumber: string | null;
  readonly type: string | null;
  readonly domains: readonly string[];
  readonly status: string | null;
  readonly statusReason: string | null;
  readonly validity: Period | null;
  readonly productTerm: Period | null;
  readonly validation: ValidationStatus | null;
  readonly shipping: ShippingDetails | null;
  readonly license: License | null;
  readonly trademark: Trademark | null;
  readonly otherFields: readonly Field[];
}

export interface OrganizationMatch {
  readonly organizationName: string | null;
  readonly streetAddress: string | null;
  readonly locality: string | null;
  readonly stateOrProvince: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
  readonly dunsNumber: string | null;
  readonly telephone: string | null;
}

export interface SuggestedOrganization {
  readonly status: SuggestedOrganizationStatus | null;
  /** The status word as sent. */
  readonly rawStatus: string | null;
  /** The whole suggestedOrgDetails value as sent: its encoding is undocumented. */
  readonly raw: string | null;
  readonly matches: readonly OrganizationMatch[];
}

export interface Order {
  readonly index: number;
  readonly orderNumber: string | null;
  /** As sent, e.g. `2025-06-11 11:57`: minutes, no time zone. */
  readonly orderedAt: string | null;
  readonly status: string | null;
  readonly statusReason: string | null;
  readonly suggestedOrganization: SuggestedOrganization | null;
  readonly certificates: readonly Certificate[];
  readonly otherFields: readonly Field[];
}

/** One successful answer: the order asked for and, under queryType=2, its replacements. */
export interface OrderStatus {
  readonly order: Order;
  readonly replacementOrders: readonly Order[];
  /** The level the answer was fetched at. */
  readonly level: DetailLevel;
}
