/** `dirconn data-file`: where the data file lives. */
import { Command } from 'commander';
import type { CliContext } from '../context.js';

export function dataFileCommand(ctx: CliContext): Command {
  return new Command('data-file').description('Print the path of the data file').action(async () => {
    const paths = await ctx.withDeps('data-file', async (_deps, workspace) => workspace.paths, { lock: false });
    ctx.output().result({ dataFile: paths.dataFile, dataDir: paths.dataDir }, (r) => r.dataFile);
  });
}
