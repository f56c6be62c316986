/** `dirconn data-file`: where the data file lives. */
import { Command } from 'commander';
import type { CliContext } from '../context.js';

export function dataFileCommand(ctx: CliContext): Command {
  return new Command('data-file').description('Print the path of the data file').action(async () => {
    await ctx.withWorkspace('data-file', (workspace) => {
      ctx.output().result({ dataFile: workspace.paths.dataFile, dataDir: workspace.paths.dataDir }, (r) => r.dataFile);
      return Promise.resolve();
    }, { lock: false });
  });
}
