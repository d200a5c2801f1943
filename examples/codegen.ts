import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Client types for the example operations: the client preset turns every
 * `graphql(...)` call under examples/src into a TypedDocumentNode whose result
 * and variables types follow the subgraph schema. A schema change that renames
 * or removes a field an example selects makes `tsc` fail.
 *
 * Run from the repository root: `npm run examples:codegen`. graphql-codegen
 * resolves paths against the working directory, so every path here is built
 * from this file's own directory: it runs from the root or from examples/
 * (anywhere the `client` preset resolves from node_modules).
 */
const here = dirname(fileURLToPath(import.meta.url));
/** A path relative to examples/, as codegen wants it (relative to the working directory, forward slashes). */
const fromHere = (path: string): string => relative(process.cwd(), resolve(here, path)).split('\\').join('/');

const config: CodegenConfig = {
  // The subgraph's own SDL, the only schema source. It applies federation
  // directives (@link, @key, @cost, @listSize) without declaring them; codegen
  // loads schemas with `assumeValidSDL: true`, so they need no stub, and client
  // types never depend on directives. A frontend team pointing at a running
  // server or a supergraph replaces this line (see examples/README.md).
  schema: fromHere('../schema/*.graphql'),
  documents: [fromHere('src/**/*.ts'), `!${fromHere('src/gql/**')}`],
  ignoreNoDocuments: false,
  generates: {
    [`${fromHere('src/gql')}/`]: {
      preset: 'client',
      presetConfig: {
        // Plain result types: each example reads its own selection directly.
        fragmentMasking: false,
      },
      config: {
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
        // NodeNext: relative imports in the generated files need the extension.
        importExtension: '.js',
      },
    },
  },
};

export default config;
