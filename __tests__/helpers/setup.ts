// The cdktf Testing matchers (toHaveResourceWithProperties, ...), on every test file.
import { Testing } from 'cdktf';

Testing.setupJest();
