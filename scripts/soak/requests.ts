/** What the soak's clients send and receive, and how a failed exchange is named. */

export interface GraphQLBody {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: ReadonlyArray<{ readonly message?: string; readonly extensions?: { readonly code?: string } }>;
  readonly extensions?: { readonly staleOrders?: unknown[] };
}
export interface Answer {
  readonly status: number;
  /** Undefined when the body is not JSON. */
  readonly body: GraphQLBody | undefined;
}

export interface Send {
  readonly body?: string;
  readonly method?: string;
  readonly contentType?: string;
  readonly search?: string;
}

export const gql = (query: string, variables?: Record<string, unknown>): Send => ({
  body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
});

/** A failure with no HTTP answer, named by its code (or message). */
export function transportCode(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout (no answer in 20 s)';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
