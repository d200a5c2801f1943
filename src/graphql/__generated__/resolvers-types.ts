import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OrderModel } from '../models.js';
import type { Certificate as CertificateModel, Period as ValidityModel, Period as ProductTermModel, ValidationStatus as ValidationStatusModel, ShippingDetails as ShippingDetailsModel, ShippingContact as ShippingContactModel, License as LicenseModel, HackerGuardianLicense as HackerGuardianLicenseModel, WebPlatformAccount as WebPlatformAccountModel, SiteLockAccount as SiteLockAccountModel, Trademark as TrademarkModel, SuggestedOrganization as SuggestedOrganizationModel, OrganizationMatch as OrganizationMatchModel, Field as UpstreamFieldModel } from '../../sectigo/domain.js';
import type { RequestContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant in ISO-8601 / RFC 3339 form, always UTC (e.g. `2025-06-11T11:57:00.000Z`). */
  DateTime: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/**
 * A certificate (SSL/TLS, code signing, VMC/CMC, personal authentication) or
 * licence item of an order: the `X_Y_*` keys of the answer.
 */
export type Certificate = {
  readonly __typename?: 'Certificate';
  /** The fully-qualified domain names (`FQDN`, comma separated upstream); empty items dropped. */
  readonly domains: ReadonlyArray<Scalars['String']['output']>;
  /** Licence details (HackerGuardian/Qualys, Sectigo Web Platform, SiteLock); null when there is none. */
  readonly license: Maybe<License>;
  /**
   * Every certificate-level key Sectigo sent that this schema does not model,
   * or whose value could not be represented, with the `X_Y_` prefix removed.
   */
  readonly otherFields: ReadonlyArray<UpstreamField>;
  /**
   * The product term (`productTermStartDate`, `productTermEndDate`,
   * `productTermDuration`). Needs `showValidityPeriod=Y`.
   */
  readonly productTerm: Maybe<ProductTerm>;
  /** The certificate serial number (`serialNumber`); null until issued. */
  readonly serialNumber: Maybe<Scalars['String']['output']>;
  /** Shipping of a hardware token (code signing on a token); null for other products. */
  readonly shipping: Maybe<ShippingDetails>;
  /** The certificate status (`certificateStatus`), e.g. `Awaiting Validation`, `Issued`, `Revoked`. */
  readonly status: Maybe<Scalars['String']['output']>;
  /** Why the certificate has its status (`certificateStatusReason`); rejected or revoked certificates. */
  readonly statusReason: Maybe<Scalars['String']['output']>;
  /** The registered mark of a VMC/CMC order; null for other products. */
  readonly trademark: Maybe<Trademark>;
  /** The product type (`objectType`), e.g. `Verified Mark Certificate (VMC) (2 of 2 Domains)`. */
  readonly type: Maybe<Scalars['String']['output']>;
  /**
   * Progress of each validation step. Needs `queryType=1` (detailed status):
   * selecting any of it makes the upstream call ask for detailed status.
   * Null when Sectigo sent none.
   */
  readonly validation: Maybe<ValidationStatus>;
  /**
   * Validity period of the issued certificate (`notBefore`, `notAfter`,
   * `certificateDuration`). Needs `showValidityPeriod=Y`: selecting it makes
   * the upstream call ask for it.
   */
  readonly validity: Maybe<Validity>;
};

/** The Qualys account type of a HackerGuardian licence (`qualysAccountType`). */
export type HackerGuardianAccountType =
  /** `C`: a customer account. */
  | 'CUSTOMER'
  /** `P`: a prospect account. */
  | 'PROSPECT';

/** A HackerGuardian licence on the Qualys platform. */
export type HackerGuardianLicense = {
  readonly __typename?: 'HackerGuardianLicense';
  /** `qualysAccountType`; null for a type this schema does not know (raw value in `otherFields`). */
  readonly accountType: Maybe<HackerGuardianAccountType>;
  /** `qualysCompanyName`. */
  readonly companyName: Maybe<Scalars['String']['output']>;
  /**
   * `qualysCreationDate`. ISO-8601 UTC when Sectigo sends UNIX seconds,
   * otherwise the date as sent. Needs `queryType=1`.
   */
  readonly createdAt: Maybe<Scalars['String']['output']>;
  /** `qualysExpirationDate`, like `createdAt`. Needs `queryType=1`. */
  readonly expiresAt: Maybe<Scalars['String']['output']>;
  /** `qualysIPsAdded`: additional IP addresses bought. */
  readonly ipsAdded: Maybe<Scalars['Int']['output']>;
  /** `qualysIPsPurchased`: IP addresses bought under the licence. */
  readonly ipsPurchased: Maybe<Scalars['Int']['output']>;
  /** `qualysLoginName`: the login on the Qualys platform that scans for vulnerabilities. */
  readonly loginName: Maybe<Scalars['String']['output']>;
  /** `qualysMerchantID`. */
  readonly merchantId: Maybe<Scalars['String']['output']>;
};

/** Licence details of an order item. */
export type License = {
  readonly __typename?: 'License';
  /** The HackerGuardian (Qualys) account, when the product has one. */
  readonly hackerGuardian: Maybe<HackerGuardianLicense>;
  /** `licenceRejectionSource`: `API` or `Manual`, when rejected. */
  readonly rejectionSource: Maybe<Scalars['String']['output']>;
  /** The SiteLock account, when the product has one. */
  readonly siteLock: Maybe<SiteLockAccount>;
  /** `licenceStatus`: `processed` or `rejected`. */
  readonly status: Maybe<Scalars['String']['output']>;
  /** `licenceStatusReason`: the sync error description. */
  readonly statusReason: Maybe<Scalars['String']['output']>;
  /** `licenceSyncStatus`, e.g. `Processed`, `Awaiting Sync`, `Sync Failed`, `Sync Disabled`, `Acc Deleted`, `Acc Suspended`. */
  readonly syncStatus: Maybe<Scalars['String']['output']>;
  /** The Sectigo Web Platform account, when the product has one. */
  readonly webPlatform: Maybe<WebPlatformAccount>;
};

/**
 * A Sectigo certificate order, as `!GetDetailedOrderStatus` reports it. Each
 * order costs at most one upstream call per GraphQL request, made at the
 * smallest detail level that serves every selected field. For demand control
 * an order weighs 10 (one upstream call); replacement orders come in the same
 * answer and weigh 1.
 */
export type Order = {
  readonly __typename?: 'Order';
  /** The certificates of this order (`X_Y_*` keys), in Sectigo's index order. */
  readonly certificates: ReadonlyArray<Certificate>;
  /** Sectigo's order number (`X_orderNumber`). */
  readonly orderNumber: Scalars['ID']['output'];
  /**
   * When the order was placed (`X_orderDateTime`), exactly as Sectigo sends it,
   * e.g. `2025-06-11 11:57`: minutes, no time zone.
   */
  readonly orderedAt: Maybe<Scalars['String']['output']>;
  /**
   * Every order-level key Sectigo sent that this schema does not model, or
   * whose value could not be represented (an enum value added later, say),
   * with the `X_` prefix removed. Nothing the upstream sends is dropped.
   */
  readonly otherFields: ReadonlyArray<UpstreamField>;
  /**
   * Orders that replaced this one. Needs `queryType=2`: selecting it makes the
   * upstream call ask for replacement orders. Empty when there are none (and on
   * a replacement order itself).
   */
  readonly replacementOrders: ReadonlyArray<Order>;
  /** The order status (`X_orderStatus`), e.g. `Pending`, `Issued`, `Rejected`. */
  readonly status: Maybe<Scalars['String']['output']>;
  /** Why the order has its status (`X_orderStatusReason`); set for rejected orders. */
  readonly statusReason: Maybe<Scalars['String']['output']>;
  /**
   * Result of automatic organisation validation, when it was requested
   * (`X_suggestedOrgDetails`).
   */
  readonly suggestedOrganization: Maybe<SuggestedOrganization>;
};

/** An organisation Sectigo matched during automatic organisation validation. */
export type OrganizationMatch = {
  readonly __typename?: 'OrganizationMatch';
  /** `countryName`: ISO 3166-1 alpha-2 code. */
  readonly country: Maybe<Scalars['String']['output']>;
  /** `dunsNumber`: the D-U-N-S number. */
  readonly dunsNumber: Maybe<Scalars['String']['output']>;
  /** `localityName`: the city. */
  readonly locality: Maybe<Scalars['String']['output']>;
  /** `organizationName`: the company name. */
  readonly organizationName: Maybe<Scalars['String']['output']>;
  /** `postalCode`. */
  readonly postalCode: Maybe<Scalars['String']['output']>;
  /** `stateOrProvinceName`. */
  readonly stateOrProvince: Maybe<Scalars['String']['output']>;
  /** `streetAddress`. */
  readonly streetAddress: Maybe<Scalars['String']['output']>;
  /** `telephoneNumber`. */
  readonly telephone: Maybe<Scalars['String']['output']>;
};

/** The product term bought with the order. Needs `showValidityPeriod=Y`. */
export type ProductTerm = {
  readonly __typename?: 'ProductTerm';
  /** `productTermDuration`, in days. */
  readonly durationDays: Maybe<Scalars['Int']['output']>;
  /** `productTermEndDate` (UNIX seconds upstream). */
  readonly end: Maybe<Scalars['DateTime']['output']>;
  /** `productTermStartDate` (UNIX seconds upstream). */
  readonly start: Maybe<Scalars['DateTime']['output']>;
};

/** Order-status lookups against Sectigo's `!GetDetailedOrderStatus`. */
export type Query = {
  readonly __typename?: 'Query';
  /**
   * One order by its Sectigo order number (digits only). Null with a `NOT_FOUND`
   * error when Sectigo does not know the order on this account. Costs one
   * upstream call at the detail level the selection needs.
   */
  readonly order: Maybe<Order>;
  /**
   * The order that issued a certificate, by Sectigo's internal certificate id
   * (1 to 16 digits; not used for VMC/CMC products).
   */
  readonly orderByCertificateId: Maybe<Order>;
  /**
   * Several orders at once: the list has the same length and order as
   * `orderNumbers` (duplicates included, fetched once). An order that fails is
   * null with an error whose `path` points at its position; the others still
   * resolve. At most 100 ids (configurable); more is a `BAD_USER_INPUT` error.
   */
  readonly orders: ReadonlyArray<Maybe<Order>>;
};


/** Order-status lookups against Sectigo's `!GetDetailedOrderStatus`. */
export type QueryOrderArgs = {
  orderNumber: Scalars['ID']['input'];
};


/** Order-status lookups against Sectigo's `!GetDetailedOrderStatus`. */
export type QueryOrderByCertificateIdArgs = {
  certificateId: Scalars['ID']['input'];
};


/** Order-status lookups against Sectigo's `!GetDetailedOrderStatus`. */
export type QueryOrdersArgs = {
  orderNumbers: ReadonlyArray<Scalars['ID']['input']>;
};

/** The contact person for a token shipment (`shippingTitle`, `shippingForename`, ...). */
export type ShippingContact = {
  readonly __typename?: 'ShippingContact';
  /** `shippingEmail`. */
  readonly email: Maybe<Scalars['String']['output']>;
  /** `shippingForename`. */
  readonly forename: Maybe<Scalars['String']['output']>;
  /** `shippingPhone`. */
  readonly phone: Maybe<Scalars['String']['output']>;
  /** `shippingSurname`. */
  readonly surname: Maybe<Scalars['String']['output']>;
  /** `shippingTitle`, e.g. `Mr`, `Ms`, `Dr`. */
  readonly title: Maybe<Scalars['String']['output']>;
};

/** Shipping of a hardware token (token-based code signing certificates). */
export type ShippingDetails = {
  readonly __typename?: 'ShippingDetails';
  /** The person the token is shipped to; null when Sectigo sent no contact fields. */
  readonly contact: Maybe<ShippingContact>;
  /** `shippingCountry`. */
  readonly country: Maybe<Scalars['String']['output']>;
  /** `shippingLocalityName`. */
  readonly locality: Maybe<Scalars['String']['output']>;
  /** `shippingOrganizationName`. */
  readonly organizationName: Maybe<Scalars['String']['output']>;
  /** `shippingOrganizationalUnitName`. */
  readonly organizationalUnitName: Maybe<Scalars['String']['output']>;
  /** `shippingPostalCode`. */
  readonly postalCode: Maybe<Scalars['String']['output']>;
  /** `shippingStateOrProvinceName`. */
  readonly stateOrProvince: Maybe<Scalars['String']['output']>;
  /** `shippingStreetAddress1` to `3`, empty lines dropped. */
  readonly streetAddress: ReadonlyArray<Scalars['String']['output']>;
  /** `upsTrackingID`: the UPS tracking number. */
  readonly upsTrackingId: Maybe<Scalars['String']['output']>;
};

/** A SiteLock account. */
export type SiteLockAccount = {
  readonly __typename?: 'SiteLockAccount';
  /** `slSiteIds`, comma separated upstream. */
  readonly siteIds: ReadonlyArray<Scalars['String']['output']>;
  /** `slId`: the SiteLock user id. */
  readonly userId: Maybe<Scalars['String']['output']>;
};

/** Outcome of Sectigo's automatic organisation validation for an order. */
export type SuggestedOrganization = {
  readonly __typename?: 'SuggestedOrganization';
  /** Organisations that matched, when `status` is `FOUND`. */
  readonly matches: ReadonlyArray<OrganizationMatch>;
  /** The whole `suggestedOrgDetails` value as sent; its encoding is not published. */
  readonly raw: Maybe<Scalars['String']['output']>;
  /** The status word as Sectigo sent it. */
  readonly rawStatus: Maybe<Scalars['String']['output']>;
  /** The validation status; null when Sectigo sent a status this schema does not know (see `rawStatus`). */
  readonly status: Maybe<SuggestedOrganizationStatus>;
};

/** Status of automatic organisation validation (the `status` inside `suggestedOrgDetails`). */
export type SuggestedOrganizationStatus =
  /** `Found`: a matching organisation was found. */
  | 'FOUND'
  /** `NotApplicable`: validation is not required or was already completed. */
  | 'NOT_APPLICABLE'
  /** `NotFound`: no match. */
  | 'NOT_FOUND'
  /** `NotYetCompleted`: the process is still running. */
  | 'NOT_YET_COMPLETED';

/** The registered mark behind a Verified Mark (VMC) or Common Mark (CMC) certificate. */
export type Trademark = {
  readonly __typename?: 'Trademark';
  /** `trademarkCountry2CharCode`: ISO 3166-1 alpha-2. */
  readonly countryCode: Maybe<Scalars['String']['output']>;
  /** `trademarkCountryName`. */
  readonly countryName: Maybe<Scalars['String']['output']>;
  /** `trademarkIdentifier`: the registration number. */
  readonly identifier: Maybe<Scalars['String']['output']>;
  /** `logoHostedByCA`, the code as sent (Sectigo's sample sends -1). */
  readonly logoHostedByCA: Maybe<Scalars['Int']['output']>;
  /** `trademarkOffice`, e.g. `United States Copyright Office`. */
  readonly office: Maybe<Scalars['String']['output']>;
};

/** An upstream key and its value, exactly as Sectigo sent them (index prefix removed). */
export type UpstreamField = {
  readonly __typename?: 'UpstreamField';
  /** The upstream key without its index prefix, e.g. `caaStatus` for `1_1_caaStatus`. */
  readonly name: Scalars['String']['output'];
  /** The value exactly as sent (after url-decoding); may be empty. */
  readonly value: Scalars['String']['output'];
};

/** State of one validation step, as Sectigo codes it. */
export type ValidationState =
  /** 1: the step is completed. */
  | 'COMPLETED'
  /** 2: the step is in progress. */
  | 'IN_PROGRESS'
  /** 0: the step is not completed. */
  | 'NOT_COMPLETED'
  /** -1: the step is not required. */
  | 'NOT_REQUIRED';

/**
 * Progress of the validation steps of a certificate. Only sent for
 * `queryType` 1 or 2. A step is null when Sectigo did not send it, or sent a
 * value this schema does not know (the raw value is then in the certificate's
 * `otherFields`).
 */
export type ValidationStatus = {
  readonly __typename?: 'ValidationStatus';
  /** `caaStatus`: the CAA record check. */
  readonly caa: Maybe<ValidationState>;
  /** `csrStatus`: the certificate signing request. */
  readonly csr: Maybe<ValidationState>;
  /** `dcvStatus`: domain control validation. */
  readonly dcv: Maybe<ValidationState>;
  /** `evClickThroughStatus`: acceptance of the EV click-through subscriber agreement. */
  readonly evClickThrough: Maybe<ValidationState>;
  /** `freeDVUPStatus`: the free DV upgrade. */
  readonly freeDvUpgrade: Maybe<ValidationState>;
  /** `organizationValidationStatus`: organisation (OV) validation of the account. */
  readonly organization: Maybe<ValidationState>;
  /** `ovCallBackStatus`: the OV call-back of the account. */
  readonly ovCallBack: Maybe<ValidationState>;
};

/** When the certificate is valid. Needs `showValidityPeriod=Y`. */
export type Validity = {
  readonly __typename?: 'Validity';
  /** `certificateDuration`, in days. */
  readonly durationDays: Maybe<Scalars['Int']['output']>;
  /** `notAfter` (UNIX seconds upstream). */
  readonly notAfter: Maybe<Scalars['DateTime']['output']>;
  /** `notBefore` (UNIX seconds upstream). */
  readonly notBefore: Maybe<Scalars['DateTime']['output']>;
};

/** A Sectigo Web Platform (SWP) account. */
export type WebPlatformAccount = {
  readonly __typename?: 'WebPlatformAccount';
  /** `swpActive`: true when Sectigo sends 0 (active), false for 1 (disabled), null otherwise. */
  readonly active: Maybe<Scalars['Boolean']['output']>;
  /** `swpPartnerID`. */
  readonly partnerId: Maybe<Scalars['String']['output']>;
  /** `swpUserEmail`. */
  readonly userEmail: Maybe<Scalars['String']['output']>;
  /** `swpID`: the SWP user id. */
  readonly userId: Maybe<Scalars['String']['output']>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Order: Order;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"orderNumber":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Certificate: ResolverTypeWrapper<CertificateModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  HackerGuardianAccountType: HackerGuardianAccountType;
  HackerGuardianLicense: ResolverTypeWrapper<HackerGuardianLicenseModel>;
  License: ResolverTypeWrapper<LicenseModel>;
  Order: ResolverTypeWrapper<OrderModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  OrganizationMatch: ResolverTypeWrapper<OrganizationMatchModel>;
  ProductTerm: ResolverTypeWrapper<ProductTermModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ShippingContact: ResolverTypeWrapper<ShippingContactModel>;
  ShippingDetails: ResolverTypeWrapper<ShippingDetailsModel>;
  SiteLockAccount: ResolverTypeWrapper<SiteLockAccountModel>;
  SuggestedOrganization: ResolverTypeWrapper<SuggestedOrganizationModel>;
  SuggestedOrganizationStatus: SuggestedOrganizationStatus;
  Trademark: ResolverTypeWrapper<TrademarkModel>;
  UpstreamField: ResolverTypeWrapper<UpstreamFieldModel>;
  ValidationState: ValidationState;
  ValidationStatus: ResolverTypeWrapper<ValidationStatusModel>;
  Validity: ResolverTypeWrapper<ValidityModel>;
  WebPlatformAccount: ResolverTypeWrapper<WebPlatformAccountModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Certificate: CertificateModel;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  HackerGuardianLicense: HackerGuardianLicenseModel;
  License: LicenseModel;
  Order: OrderModel;
  ID: Scalars['ID']['output'];
  OrganizationMatch: OrganizationMatchModel;
  ProductTerm: ProductTermModel;
  Query: Record<PropertyKey, never>;
  ShippingContact: ShippingContactModel;
  ShippingDetails: ShippingDetailsModel;
  SiteLockAccount: SiteLockAccountModel;
  SuggestedOrganization: SuggestedOrganizationModel;
  Trademark: TrademarkModel;
  UpstreamField: UpstreamFieldModel;
  ValidationStatus: ValidationStatusModel;
  Validity: ValidityModel;
  WebPlatformAccount: WebPlatformAccountModel;
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
};

export type SectigoDetailDirectiveArgs = {
  queryType?: Scalars['Int']['input'];
  showValidityPeriod?: Scalars['Boolean']['input'];
};

export type SectigoDetailDirectiveResolver<Result, Parent, ContextType = RequestContext, Args = SectigoDetailDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CertificateResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Certificate'] = ResolversParentTypes['Certificate']> = {
  domains?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
  license?: Resolver<Maybe<ResolversTypes['License']>, ParentType, ContextType>;
  otherFields?: Resolver<ReadonlyArray<ResolversTypes['UpstreamField']>, ParentType, ContextType>;
  productTerm?: Resolver<Maybe<ResolversTypes['ProductTerm']>, ParentType, ContextType>;
  serialNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  shipping?: Resolver<Maybe<ResolversTypes['ShippingDetails']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  trademark?: Resolver<Maybe<ResolversTypes['Trademark']>, ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  validation?: Resolver<Maybe<ResolversTypes['ValidationStatus']>, ParentType, ContextType>;
  validity?: Resolver<Maybe<ResolversTypes['Validity']>, ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type HackerGuardianLicenseResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['HackerGuardianLicense'] = ResolversParentTypes['HackerGuardianLicense']> = {
  accountType?: Resolver<Maybe<ResolversTypes['HackerGuardianAccountType']>, ParentType, ContextType>;
  companyName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  ipsAdded?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  ipsPurchased?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  loginName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  merchantId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type LicenseResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['License'] = ResolversParentTypes['License']> = {
  hackerGuardian?: Resolver<Maybe<ResolversTypes['HackerGuardianLicense']>, ParentType, ContextType>;
  rejectionSource?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  siteLock?: Resolver<Maybe<ResolversTypes['SiteLockAccount']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  syncStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  webPlatform?: Resolver<Maybe<ResolversTypes['WebPlatformAccount']>, ParentType, ContextType>;
};

export type OrderResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  certificates?: Resolver<ReadonlyArray<ResolversTypes['Certificate']>, ParentType, ContextType>;
  orderNumber?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orderedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  otherFields?: Resolver<ReadonlyArray<ResolversTypes['UpstreamField']>, ParentType, ContextType>;
  replacementOrders?: Resolver<ReadonlyArray<ResolversTypes['Order']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  suggestedOrganization?: Resolver<Maybe<ResolversTypes['SuggestedOrganization']>, ParentType, ContextType>;
};

export type OrganizationMatchResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['OrganizationMatch'] = ResolversParentTypes['OrganizationMatch']> = {
  country?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  dunsNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  locality?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organizationName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  postalCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  stateOrProvince?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  streetAddress?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  telephone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ProductTermResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ProductTerm'] = ResolversParentTypes['ProductTerm']> = {
  durationDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  end?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  start?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'orderNumber'>>;
  orderByCertificateId?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderByCertificateIdArgs, 'certificateId'>>;
  orders?: Resolver<ReadonlyArray<Maybe<ResolversTypes['Order']>>, ParentType, ContextType, RequireFields<QueryOrdersArgs, 'orderNumbers'>>;
};

export type ShippingContactResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ShippingContact'] = ResolversParentTypes['ShippingContact']> = {
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  forename?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  surname?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  title?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ShippingDetailsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ShippingDetails'] = ResolversParentTypes['ShippingDetails']> = {
  contact?: Resolver<Maybe<ResolversTypes['ShippingContact']>, ParentType, ContextType>;
  country?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  locality?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organizationName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organizationalUnitName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  postalCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  stateOrProvince?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  streetAddress?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
  upsTrackingId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SiteLockAccountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SiteLockAccount'] = ResolversParentTypes['SiteLockAccount']> = {
  siteIds?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
  userId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SuggestedOrganizationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SuggestedOrganization'] = ResolversParentTypes['SuggestedOrganization']> = {
  matches?: Resolver<ReadonlyArray<ResolversTypes['OrganizationMatch']>, ParentType, ContextType>;
  raw?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  rawStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['SuggestedOrganizationStatus']>, ParentType, ContextType>;
};

export type TrademarkResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Trademark'] = ResolversParentTypes['Trademark']> = {
  countryCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  countryName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  identifier?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  logoHostedByCA?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  office?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type UpstreamFieldResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['UpstreamField'] = ResolversParentTypes['UpstreamField']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ValidationStatusResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ValidationStatus'] = ResolversParentTypes['ValidationStatus']> = {
  caa?: Resolver<Maybe<ResolversTypes['ValidationState']>, ParentType, ContextType>;
  csr?: Resolver<Maybe<ResolversTypes['ValidationState']>, ParentType, ContextType>;
  dcv?: Resolver<Maybe<ResolversTypes['ValidationState']>, ParentType, ContextType>;
  evClickThrough?: Resolver<Maybe<ResolversTypes['ValidationState']>, ParentType, ContextType>;
  freeDvUpgrade?: Resolver<Maybe<ResolversTypes['ValidationState']>, ParentType, ContextType>;
  organization?: Resolver<Maybe<ResolversTypes['ValidationState']>, ParentType, ContextType>;
  ovCallBack?: Resolver<Maybe<ResolversTypes['ValidationState']>, ParentType, ContextType>;
};

export type ValidityResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Validity'] = ResolversParentTypes['Validity']> = {
  durationDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  notAfter?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  notBefore?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type WebPlatformAccountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['WebPlatformAccount'] = ResolversParentTypes['WebPlatformAccount']> = {
  active?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  partnerId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  userEmail?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  userId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  Certificate?: CertificateResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  HackerGuardianLicense?: HackerGuardianLicenseResolvers<ContextType>;
  License?: LicenseResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrganizationMatch?: OrganizationMatchResolvers<ContextType>;
  ProductTerm?: ProductTermResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ShippingContact?: ShippingContactResolvers<ContextType>;
  ShippingDetails?: ShippingDetailsResolvers<ContextType>;
  SiteLockAccount?: SiteLockAccountResolvers<ContextType>;
  SuggestedOrganization?: SuggestedOrganizationResolvers<ContextType>;
  Trademark?: TrademarkResolvers<ContextType>;
  UpstreamField?: UpstreamFieldResolvers<ContextType>;
  ValidationStatus?: ValidationStatusResolvers<ContextType>;
  Validity?: ValidityResolvers<ContextType>;
  WebPlatformAccount?: WebPlatformAccountResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = RequestContext> = {
  sectigoDetail?: SectigoDetailDirectiveResolver<any, any, ContextType>;
};
