// The cdktf Testing matchers (toHaveResourceWithProperties, ...) on every test file; the import
// brings their type declarations into the project for `tsc`.
import { setupFrameworkMatchers } from '../../lib/framework/jest-matchers';
import { removeTempDirs } from './temp';

setupFrameworkMatchers();

// Synth output and scratch repositories of each test file do not outlive it.
afterAll(removeTempDirs);
