import { runReplayCommand } from './replay-command.js';

// Exits explicitly, because the HTTP agents of the Stripe SDK keep idle sockets open.
process.exit(await runReplayCommand(process.argv.slice(2)));
