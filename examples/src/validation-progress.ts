/**
 * A validation checklist for a pending order: which steps are done, which
 * are waiting, which this product does not need.
 *
 * Upstream cost: one `!GetDetailedOrderStatus` call, queryType=1,
 * showValidityPeriod=N (`validation` needs the detailed status).
 */
import { graphql } from './gql/index.js';
import type { ValidationProgressQuery, ValidationState } from './gql/graphql.js';
import { request, type RequestOptions } from './client.js';

export const ValidationProgressDocument = graphql(`
  query ValidationProgress($orderNumber: ID!) {
    order(orderNumber: $orderNumber) {
      status
      certificates {
        type
        validation {
          csr
          dcv
          ovCallBack
          organization
          freeDvUpgrade
          evClickThrough
          caa
        }
      }
    }
  }
`);

type Validation = NonNullable<NonNullable<ValidationProgressQuery['order']>['certificates'][number]['validation']>;
export type StepKey = keyof Validation;

export type StepProgress = 'done' | 'pending' | 'not-required';

export interface Step {
  readonly key: StepKey;
  readonly label: string;
  readonly progress: StepProgress;
  /** True when Sectigo reports the step as in progress (rather than not started). */
  readonly inProgress: boolean;
}

export interface CertificateProgress {
  readonly type: string | null;
  /** In checklist order; steps Sectigo did not report are left out. */
  readonly steps: readonly Step[];
  readonly done: number;
  /** Steps that are required (done or pending). */
  readonly required: number;
}

export interface ValidationProgress {
  readonly status: string | null;
  readonly certificates: readonly CertificateProgress[];
}

/** Checklist order and wording; a `Record` so a new step in the schema must be labelled here. */
const LABELS: Readonly<Record<StepKey, string>> = {
  csr: 'Certificate signing request',
  dcv: 'Domain control validation',
  organization: 'Organisation validation',
  ovCallBack: 'Organisation call-back',
  evClickThrough: 'Subscriber agreement (EV click-through)',
  freeDvUpgrade: 'Free DV upgrade',
  caa: 'CAA record check',
};

/** Exhaustive: a value added to ValidationState fails to compile until it is handled here. */
export function progressOf(state: ValidationState): { progress: StepProgress; inProgress: boolean } {
  switch (state) {
    case 'COMPLETED':
      return { progress: 'done', inProgress: false };
    case 'IN_PROGRESS':
      return { progress: 'pending', inProgress: true };
    case 'NOT_COMPLETED':
      return { progress: 'pending', inProgress: false };
    case 'NOT_REQUIRED':
      return { progress: 'not-required', inProgress: false };
    default: {
      const unhandled: never = state;
      throw new Error(`Unhandled validation state ${String(unhandled)}`);
    }
  }
}

/** Pure: the checklist for one certificate's validation status. */
export function stepsOf(validation: Validation | null): Step[] {
  if (validation === null) return [];
  const steps: Step[] = [];
  for (const key of Object.keys(LABELS) as StepKey[]) {
    const state = validation[key];
    // Null: Sectigo did not send the step, or sent a value the schema does not know.
    if (state === null) continue;
    steps.push({ key, label: LABELS[key], ...progressOf(state) });
  }
  return steps;
}

/** Null when the order does not exist (NOT_FOUND) on this account. */
export async function validationProgress(orderNumber: string, options?: RequestOptions): Promise<ValidationProgress | null> {
  const { data, errors } = await request(ValidationProgressDocument, { orderNumber }, options);
  const order = data?.order;
  if (!order) {
    if (errors.every((error) => error.extensions.code === 'NOT_FOUND')) return null;
    throw new Error(`ValidationProgress ${orderNumber}: ${errors.map((error) => `${error.extensions.code} ${error.message}`).join('; ')}`);
  }
  return {
    status: order.status,
    certificates: order.certificates.map((certificate) => {
      const steps = stepsOf(certificate.validation);
      return {
        type: certificate.type,
        steps,
        done: steps.filter((step) => step.progress === 'done').length,
        required: steps.filter((step) => step.progress !== 'not-required').length,
      };
    }),
  };
}
