/**
 * Validation rule: this subgraph has queries only. graphql-js 16 finds a
 * missing root type during execution, where the error carries no code and
 * was masked as INTERNAL_SERVER_ERROR; as a validation error it is the
 * client's 400 GRAPHQL_VALIDATION_FAILED.
 */
import { GraphQLError, OperationTypeNode, type ValidationRule } from 'graphql';

export const supportedOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const schema = context.getSchema();
    const root =
      node.operation === OperationTypeNode.QUERY
        ? schema.getQueryType()
        : node.operation === OperationTypeNode.MUTATION
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    if (root === null || root === undefined) {
      context.reportError(new GraphQLError(`This subgraph does not support ${node.operation} operations`, { nodes: [node] }));
    }
  },
});
