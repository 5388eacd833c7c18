import { runEvalCli } from './eval/runEvalCli.js';

process.exitCode = await runEvalCli(process.argv.slice(2));
