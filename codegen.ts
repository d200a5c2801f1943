import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Resolver types generated from schema/, the only schema source. Mappers tie
 * each GraphQL type to the domain type its resolvers receive, so a resolver
 * that returns the wrong shape fails type-checking. CI regenerates and fails
 * on any difference, so the committed file never goes stale.
 */
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/graphql/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useIndexSignature: false,
        useTypeImports: true,
        immutableTypes: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true },
        contextType: '../context.js#RequestContext',
        scalars: { DateTime: 'string', ID: 'string' },
        mappers: {
          Order: '../models.js#OrderModel',
          Certificate: '../../sectigo/domain.js#Certificate as CertificateModel',
          Validity: '../../sectigo/domain.js#Period as ValidityModel',
          ProductTerm: '../../sectigo/domain.js#Period as ProductTermModel',
          ValidationStatus: '../../sectigo/domain.js#ValidationStatus as ValidationStatusModel',
          ShippingDetails: '../../sectigo/domain.js#ShippingDetails as ShippingDetailsModel',
          ShippingContact: '../../sectigo/domain.js#ShippingContact as ShippingContactModel',
          License: '../../sectigo/domain.js#License as LicenseModel',
          HackerGuardianLicense: '../../sectigo/domain.js#HackerGuardianLicense as HackerGuardianLicenseModel',
          WebPlatformAccount: '../../sectigo/domain.js#WebPlatformAccount as WebPlatformAccountModel',
          SiteLockAccount: '../../sectigo/domain.js#SiteLockAccount as SiteLockAccountModel',
          Trademark: '../../sectigo/domain.js#Trademark as TrademarkModel',
          SuggestedOrganization: '../../sectigo/domain.js#SuggestedOrganization as SuggestedOrganizationModel',
          OrganizationMatch: '../../sectigo/domain.js#OrganizationMatch as OrganizationMatchModel',
          UpstreamField: '../../sectigo/domain.js#Field as UpstreamFieldModel',
        },
      },
    },
  },
};

export default config;
