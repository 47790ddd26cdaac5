import mongoose, { type Connection } from 'mongoose';

export interface SentCommand {
  name: string;
  command: Record<string, any>;
}

/**
 * A connection that notes the commands it sends (command monitoring): `commandsOf(work)` answers
 * those `work` sent, by name, without the driver's own handshakes and session bookkeeping.
 */
export async function connectNotingCommands(uri: string): Promise<{ db: Connection; commandsOf: (work: () => Promise<unknown>) => Promise<SentCommand[]> }> {
  const db = await mongoose.createConnection(uri, { monitorCommands: true }).asPromise();
  let commands: SentCommand[] = [];
  db.getClient().on('commandStarted', (e) => commands.push({ name: e.commandName, command: e.command }));
  const commandsOf = async (work: () => Promise<unknown>) => {
    commands = [];
    await work();
    return commands.filter((c) => !['endSessions', 'hello', 'isMaster', 'ping'].includes(c.name));
  };
  return { db, commandsOf };
}
