/**
 * The framework's Jest matchers (`toHaveResourceWithProperties`, ...) and their type declarations,
 * for the tests' setup (`__tests__/helpers/setup.ts`) only. Part of the framework seam (cdktf.ts).
 */
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

/** Installs the matchers on Jest's `expect`. */
export function setupFrameworkMatchers(): void {
  Testing.setupJest();
}
