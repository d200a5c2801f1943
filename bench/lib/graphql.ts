/** A GraphQL POST from the bench (never timed for figures; used for checks and the memory/cost loops). */
export interface GraphQLReply {
  readonly status: number;
  readonly data: unknown;
  readonly errors: ReadonlyArray<{ readonly message: string; readonly extensions?: Record<string, unknown> }>;
}

export async function postGraphQL(baseUrl: string, query: string, variables: Readonly<Record<string, unknown>>): Promise<GraphQLReply> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let body: { data?: unknown; errors?: GraphQLReply['errors'] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`POST ${baseUrl}/graphql answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, data: body.data ?? null, errors: body.errors ?? [] };
}
