// ESLint (flat config): typescript-eslint's recommended rules, the type-aware promise rules, and
// the project's own rules. Formatting is Prettier's (`.prettierrc.json`); `npm run lint` runs both.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The framework seam (lib/framework/): only there may code import the CDK for Terraform or a
 * provider package (or CDK Terrain's), so that a move changes those modules and package.json only.
 */
const FRAMEWORK_SEAM = {
  regex: '^(cdktf|cdktn)(/|$)|^@(cdktf|cdktn)/',
  message:
    'Import the framework through lib/framework/ (cdktf.ts, aws.ts, tfe.ts): the seam a move to CDK Terrain changes, and nothing else.',
};

/** Project rules that ESLint can say. */
const projectRules = {
  // Loading the package root costs ~5 s and ~560 MB (FACTS.md): import each resource by deep path.
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: '@cdktf/provider-aws',
          message:
            "Import the resource by deep path, e.g. '@cdktf/provider-aws/lib/route53-zone': the root loads ~2,200 modules.",
        },
        {
          name: '@cdktf/provider-tfe',
          message: "Import the resource by deep path, e.g. '@cdktf/provider-tfe/lib/workspace'.",
        },
      ],
      patterns: [FRAMEWORK_SEAM],
    },
  ],
  // A rejected promise nobody awaits ends the command with a crash far from its cause.
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  // `any` only where a disable comment says why (`-- reason`).
  '@typescript-eslint/no-explicit-any': 'error',
  // Braces on every statement body that spans lines (a wrapped `if (...) call(` reads as two statements).
  curly: ['error', 'multi-line'],
  eqeqeq: ['error', 'always', { null: 'ignore' }],
  'max-len': ['error', { code: 160, ignoreUrls: true }],
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
  // The commands load their heavy parts lazily with `require(...) as typeof import(...)`.
  '@typescript-eslint/no-require-imports': 'off',
};

/** A disable comment must say why: `// eslint-disable-next-line rule -- reason`. */
const local = {
  rules: {
    'disable-needs-reason': {
      meta: { type: 'suggestion', messages: { reason: "Say why after ' -- ' in this eslint-disable comment." } },
      create(context) {
        return {
          Program() {
            for (const comment of context.sourceCode.getAllComments()) {
              if (/^\s*eslint-disable/.test(comment.value) && !/\s--\s+\S/.test(comment.value)) {
                context.report({ loc: comment.loc, messageId: 'reason' });
              }
            }
          },
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', '.gen/', 'coverage/', 'state/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { local },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: { ...projectRules, 'local/disable-needs-reason': 'error' },
  },
  {
    // lib/ is what users run: it never reaches into the test tooling.
    files: ['lib/**/*.ts', 'main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: projectRules['no-restricted-imports'][1].paths,
          patterns: [
            FRAMEWORK_SEAM,
            {
              group: ['**/test/**', '**/bench/**', '**/__tests__/**'],
              message: 'lib/ holds what users run; test tooling (test/, bench/) stays outside it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The seam itself: the framework by its packages, each provider resource by deep path.
    files: ['lib/framework/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: projectRules['no-restricted-imports'][1].paths,
          patterns: [
            {
              group: ['**/test/**', '**/bench/**', '**/__tests__/**'],
              message: 'lib/ holds what users run; test tooling (test/, bench/) stays outside it.',
            },
          ],
        },
      ],
    },
  },
  {
    // Prose as data: each key's description is one string, however long.
    files: ['lib/config/key-docs.ts'],
    rules: { 'max-len': ['error', { code: 160, ignoreUrls: true, ignoreStrings: true }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly' } },
  },
);
