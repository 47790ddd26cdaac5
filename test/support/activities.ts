import type mongoose from 'mongoose';
import { createActivities } from '../../activities';
import { handlerTaskModel } from '../../activities/handlers';
import { notificationModel, NotificationOutbox } from '../../activities/outbox';
import { complaintModel, ComplaintReadModel } from '../../activities/read-model';
import { reportFactsModel, ReportFactsStore } from '../../activities/report-facts-store';
import { loadConfig } from '../../runtime/config';
import { handlerGateway } from '../../runtime/integrations';

/** The real activities on a test database; handlers configured from `env` (manual unless it says otherwise). */
export function realActivities(db: mongoose.Connection, env: Record<string, string> = {}) {
  return createActivities({
    readModel: new ComplaintReadModel(complaintModel(db)),
    reportFacts: new ReportFactsStore(reportFactsModel(db)),
    outbox: new NotificationOutbox(notificationModel(db)),
    handlers: handlerGateway(loadConfig(env), handlerTaskModel(db)),
  });
}
