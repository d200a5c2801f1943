/**
 * Introspection off (GRAPHQL_INTROSPECTION=false, the production default),
 * with a message that names the switch. Apollo's own rule tells the reader
 * to change the ApolloServer constructor, which an operator cannot.
 */
import { GraphQLError, type ValidationRule } from 'graphql';

export const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== '__schema' && node.name.value !== '__type') return;
    context.reportError(
      new GraphQLError(
        'Introspection is off on this server (the default with NODE_ENV=production). Set GRAPHQL_INTROSPECTION=true to turn it on; a router reads the schema from { _service { sdl } }, which stays on.',
        { nodes: [node] },
      ),
    );
  },
});
