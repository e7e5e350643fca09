import { resolve } from 'node:path';
import { Command } from 'commander';
import { runComposeCommand } from './compose-command.js';
import { defaultSubgraphListPath, defaultSupergraphPath, repoRoot } from './paths.js';

const program = new Command('compose')
  .description('Compose the supergraph the gateway serves from the subgraphs listed in apps/gateway/subgraphs.json.')
  .option('--list <file>', 'the subgraph list', defaultSubgraphListPath)
  .option('--out <file>', 'where to write the supergraph SDL', defaultSupergraphPath)
  .option('--check', 'only check that the supergraph file is up to date (exit 1 when stale); write nothing', false)
  .action((opts: { list: string; out: string; check: boolean }) => {
    try {
      const result = runComposeCommand({
        listPath: resolve(opts.list),
        outPath: resolve(opts.out),
        repoRoot,
        check: opts.check,
      });
      (result.exitCode === 0 ? console.log : console.error)(result.lines.join('\n'));
      process.exitCode = result.exitCode;
    } catch (error) {
      console.error((error as Error).message);
      process.exitCode = 1;
    }
  });

program.parse();
