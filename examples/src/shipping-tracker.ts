/**
 * Where the hardware token of a code-signing order is: UPS tracking number
 * and link, recipient and address.
 *
 * Upstream cost: one `!GetDetailedOrderStatus` call, queryType=0,
 * showValidityPeriod=N (shipping is part of the plain status answer).
 */
import { graphql } from './gql/index.js';
import type { ShippingTrackerQuery } from './gql/graphql.js';
import { request, type RequestOptions } from './client.js';

export const ShippingTrackerDocument = graphql(`
  query ShippingTracker($orderNumber: ID!) {
    order(orderNumber: $orderNumber) {
      certificates {
        serialNumber
        shipping {
          upsTrackingId
          country
          locality
          postalCode
          streetAddress
          contact {
            forename
            surname
          }
        }
      }
    }
  }
`);

export interface Shipment {
  readonly serialNumber: string | null;
  /** Null until the token has been handed to UPS. */
  readonly upsTrackingId: string | null;
  readonly trackingUrl: string | null;
  /** "Forename Surname", or null without a contact. */
  readonly recipient: string | null;
  /** Street lines, then "postal code locality", then the country code. */
  readonly addressLines: readonly string[];
}

type ShippingCertificate = NonNullable<ShippingTrackerQuery['order']>['certificates'][number];

/** Pure: one shipment per certificate that has shipping details (token-based code signing). */
export function shipmentsOf(certificates: readonly ShippingCertificate[]): Shipment[] {
  return certificates.flatMap((certificate) => {
    const shipping = certificate.shipping;
    if (shipping === null) return [];
    const name = [shipping.contact?.forename, shipping.contact?.surname].filter((part): part is string => !!part).join(' ');
    const town = [shipping.postalCode, shipping.locality].filter((part): part is string => !!part).join(' ');
    const upsTrackingId = shipping.upsTrackingId || null;
    return [
      {
        serialNumber: certificate.serialNumber,
        upsTrackingId,
        trackingUrl: upsTrackingId === null ? null : `https://www.ups.com/track?tracknum=${encodeURIComponent(upsTrackingId)}`,
        recipient: name === '' ? null : name,
        addressLines: [...shipping.streetAddress, ...(town === '' ? [] : [town]), ...(shipping.country ? [shipping.country] : [])],
      },
    ];
  });
}

/** Empty for orders with nothing shipped; null when the order does not exist. */
export async function shippingTracker(orderNumber: string, options?: RequestOptions): Promise<Shipment[] | null> {
  const { data, errors } = await request(ShippingTrackerDocument, { orderNumber }, options);
  const order = data?.order;
  if (!order) {
    if (errors.every((error) => error.extensions.code === 'NOT_FOUND')) return null;
    throw new Error(`ShippingTracker ${orderNumber}: ${errors.map((error) => `${error.extensions.code} ${error.message}`).join('; ')}`);
  }
  return shipmentsOf(order.certificates);
}
