// What a sample of the Temporal server's CPU was doing, from its stack (root first): the RPC
// it served or the queue task it ran, else the Go runtime's own work.

const services: Record<string, string> = { WorkflowService: 'frontend', HistoryService: 'history', MatchingService: 'matching' };

export function workOf(frames: string[]): string {
  const stack = frames.join(';');
  if (/grpc\.(compress|decompress)|compress\/gzip/.test(stack)) return 'gRPC compression';
  const rpc = /_(WorkflowService|HistoryService|MatchingService|\w+Service)_(\w+?)_Handler/.exec(stack);
  if (rpc) return `${services[rpc[1]!] ?? rpc[1]} ${rpc[2]}`;
  const queue = /\(\*(transfer|timer|visibility|outbound|archival)\w*TaskExecutor\)/.exec(stack);
  if (queue) {
    const kind = /TaskExecutor\)\.process(\w+)/.exec(stack)?.[1];
    return kind ? `${queue[1]} queue ${kind}` : `${queue[1]} queue`;
  }
  if (/\.gcBgMarkWorker|\.gcDrain|\.bgsweep|\.bgscavenge|runtime\.gcStart/.test(stack)) return 'Go garbage collection';
  if (/history\/queues\./.test(stack)) return 'history queues (reading, scheduling)';
  if (/runtime\.(sysmon|mstart|schedule|findRunnable)/.test(stack)) return 'Go scheduler';
  if (/grpc.*(transport|http2)|http2\./.test(stack)) return 'gRPC transport';
  if (/matching\./.test(stack)) return 'matching (other)';
  return 'other';
}
