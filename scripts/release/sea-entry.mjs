// Entry of the single executable: the same CLI as the npm tarball. In a single executable
// process.argv is [executable, executable, ...arguments], the shape commander expects.
import { main } from '../../apps/cli/dist/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`dirconn: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
