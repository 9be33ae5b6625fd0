// Counts the statements a Postgres client sends, by reading the frontend protocol on the wire: a
// simple Query ('Q') or an Execute ('E') each run one statement. Connections are grouped by the
// application_name of their startup message, so a test can give one request a name of its own and
// ask afterwards how many statements it cost.
export class StatementCounter {
  private readonly counts = new Map<string, number>();

  /** Returns a parser for one connection's client-to-server byte stream. */
  connection(): (chunk: Buffer) => void {
    let buffer = Buffer.alloc(0);
    let application: string | undefined;
    let started = false;
    return (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          if (code === 196608) {
            // StartupMessage: protocol 3.0, then key\0value\0 pairs.
            const fields = buffer.subarray(8, length).toString('utf8').split('\0');
            for (let i = 0; i + 1 < fields.length; i += 2) {
              if (fields[i] === 'application_name') application = fields[i + 1];
            }
            started = true;
          } // else SSLRequest/GSSENCRequest: skip and wait for the real startup
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]);
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) return;
        if ((type === 'Q' || type === 'E') && application) {
          this.counts.set(application, (this.counts.get(application) ?? 0) + 1);
        }
        buffer = buffer.subarray(1 + length);
      }
    };
  }

  count(application: string): number {
    return this.counts.get(application) ?? 0;
  }
}
