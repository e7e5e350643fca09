import type { CodegenConfig } from '@graphql-codegen/cli';

// Operation types come from the committed supergraph: a schema change that breaks a query fails `typecheck`.
const config: CodegenConfig = {
  schema: '../gateway/supergraph.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // join__* and link__* are the supergraph's own federation scalars; no operation uses them.
        scalars: {
          DateTime: 'string',
          JSON: 'unknown',
          join__FieldSet: 'string',
          link__Import: 'string',
          join__DirectiveArguments: 'unknown',
          join__ContextArgument: 'unknown',
          join__FieldValue: 'unknown',
        },
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        defaultScalarType: 'unknown',
      },
    },
  },
};

export default config;
