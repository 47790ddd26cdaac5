import type { Model } from 'mongoose';
import { HandlerGateway, type HandlerEndpoint, type HandlerSettings, type HandlerTaskDocument } from '../activities/handlers';
import { LogAdapter, SmtpAdapter, WebhookAdapter, type DeliveryAdapter } from '../activities/notifications/adapters';
import type { Config } from './config';
import type { Logger } from './logger';

/**
 * Each handler in http mode when its URL is set, signed with its own secret (loadConfig
 * requires it with the URL); manual otherwise.
 */
export function handlerSettings(config: Config): HandlerSettings {
  const endpoint = (url: string | undefined, hmacSecret: string | undefined): HandlerEndpoint =>
    url && hmacSecret ? { mode: 'http', url, hmacSecret } : { mode: 'manual' };
  return {
    endpoints: {
      quality: endpoint(config.HANDLER_QUALITY_URL, config.HANDLER_QUALITY_HMAC_SECRET),
      logistics: endpoint(config.HANDLER_LOGISTICS_URL, config.HANDLER_LOGISTICS_HMAC_SECRET),
      legal: endpoint(config.HANDLER_LEGAL_URL, config.HANDLER_LEGAL_HMAC_SECRET),
      payments: endpoint(config.HANDLER_PAYMENTS_URL, config.HANDLER_PAYMENTS_HMAC_SECRET),
    },
    timeoutMs: config.HANDLER_TIMEOUT_MS,
  };
}

export const handlerGateway = (config: Config, tasks: Model<HandlerTaskDocument>) =>
  new HandlerGateway(handlerSettings(config), tasks);

export function deliveryAdapter(config: Config, logger: Logger): DeliveryAdapter {
  const log = new LogAdapter(logger);
  const webhook = config.NOTIFY_WEBHOOK_URL && config.NOTIFY_WEBHOOK_HMAC_SECRET
    ? new WebhookAdapter(config.NOTIFY_WEBHOOK_URL, config.NOTIFY_WEBHOOK_HMAC_SECRET)
    : undefined;
  switch (config.NOTIFY_ADAPTER) {
    case 'webhook':
      return webhook!;
    case 'smtp':
      return new SmtpAdapter(config.SMTP_URL!, config.NOTIFY_FROM, webhook ?? log);
    default:
      return log;
  }
}
