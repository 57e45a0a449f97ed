// The cdktf Testing matchers (toHaveResourceWithProperties, ...) on every test file; the import
// brings their type declarations into the project for `tsc`.
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { removeTempDirs } from './temp';

Testing.setupJest();

// Synth output and scratch repositories of each test file do not outlive it.
afterAll(removeTempDirs);
