import { runDeadLettersCommand } from './dead-letters-command.js';

process.exitCode = await runDeadLettersCommand(process.argv.slice(2));
