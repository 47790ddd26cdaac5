import { describe, expect, it } from 'vitest';
import { workOf } from '../../bench/temporal-profile/work';

// Stacks as the symbolizer folds them (root first), abridged from a profile of the dev server.
const rpc = (service: string, method: string, ...below: string[]) => [
  'runtime.goexit',
  'google.golang.org/grpc.(*Server).processUnaryRPC',
  `go.temporal.io/server/api/${service.toLowerCase()}/v1._${service}_${method}_Handler`,
  ...below,
];

describe('what a sample of the Temporal server was doing', () => {
  it('names the RPC it served, by service', () => {
    expect(workOf(rpc('HistoryService', 'RespondWorkflowTaskCompleted', 'modernc.org/sqlite/lib._sqlite3Step'))).toBe('history RespondWorkflowTaskCompleted');
    expect(workOf(rpc('WorkflowService', 'UpdateWorkflowExecution'))).toBe('frontend UpdateWorkflowExecution');
    expect(workOf(rpc('MatchingService', 'PollWorkflowTaskQueue'))).toBe('matching PollWorkflowTaskQueue');
  });

  it('names a queue task by its queue and kind', () => {
    const task = ['runtime.goexit', 'go.temporal.io/server/service/history.(*visibilityQueueTaskExecutor).Execute', 'go.temporal.io/server/service/history.(*visibilityQueueTaskExecutor).processUpsertExecution', 'database/sql.(*DB).ExecContext'];
    expect(workOf(task)).toBe('visibility queue UpsertExecution');
    expect(workOf(['runtime.goexit', 'go.temporal.io/server/service/history.(*timerQueueActiveTaskExecutor).Execute'])).toBe('timer queue');
  });

  it("tells the Go runtime's own work from the rest", () => {
    expect(workOf(['runtime.gcBgMarkWorker', 'runtime.gcDrain', 'runtime.scanobject'])).toBe('Go garbage collection');
    expect(workOf(['runtime.mstart', 'runtime.mstart0', 'runtime.mstart1', 'runtime.sysmon', 'runtime.usleep'])).toBe('Go scheduler');
    expect(workOf(['runtime.goexit', 'google.golang.org/grpc/internal/transport.(*http2Server).operateHeaders'])).toBe('gRPC transport');
    expect(workOf(['runtime.goexit', 'google.golang.org/grpc.(*Server).processUnaryRPC', 'google.golang.org/grpc.(*Server).sendResponse', 'google.golang.org/grpc.compress'])).toBe('gRPC compression');
    expect(workOf(['runtime.morestack', 'runtime.newstack'])).toBe('other');
  });
});
