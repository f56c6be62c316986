/** Terminal prompts; secrets are read with echo off (the reference echoes them). */
import { createInterface } from 'node:readline';

export function terminalPrompt(question: string, options: { hidden: boolean }): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (options.hidden) {
      const writer = rl as unknown as { _writeToOutput: (s: string) => void };
      let asked = false;
      writer._writeToOutput = (s: string) => {
        if (!asked) {
          process.stderr.write(s);
          asked = true;
        }
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      if (options.hidden) process.stderr.write('\n');
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('Interrupted'));
    });
  });
}
