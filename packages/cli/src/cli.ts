import { commandHelp, parseCommandArgs } from './command';
import type { Command } from './command';
import { CliError } from './cli-error';
import type { CliIo } from './io';
import { COMMANDS } from './commands/registry';

const VERSION_HELP = `came-grad: multi-task optimizers for radiology report generation

Usage: came-grad <command> [options]

Commands:
${'{commands}'}

Run \`came-grad <command> --help\` for a command's options.
Set CAME_GRAD_DEBUG=1 to see stack traces.
`;

function topHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return VERSION_HELP.replace('{commands}', list);
}

/**
 * Runs the command line and returns the exit code. Errors become one line on stderr;
 * stack traces only with CAME_GRAD_DEBUG=1, so a user never has to read one.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(topHelp(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) {
      throw new CliError(`came-grad: unknown command ${JSON.stringify(name)}. Known: ${commands.map((c) => c.name).join(', ')}`);
    }
    const { values, positionals, help } = parseCommandArgs(command, rest);
    if (help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    return await command.run(values, positionals, io);
  } catch (error) {
    const exitCode = error instanceof CliError ? error.exitCode : 1;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`error: ${message.split('\n')[0]}\n`);
    if (process.env.CAME_GRAD_DEBUG === '1' && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return exitCode;
  }
}
