// A pino destination that keeps every log line in memory, so tests can scan what the server logged.
import type { DestinationStream } from 'pino';

export class LogCapture implements DestinationStream {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  text(): string {
    return this.lines.join('');
  }
}
