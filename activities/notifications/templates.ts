import { DateTime } from 'luxon';
import type { Locale } from '../../domain/complaint-schema';

/**
 * Message texts in Chinese and English. No template names the consumer or repeats contact
 * details: a message is safe to log and to hand to a gateway. The first reply states
 * progress, expected completion and method [002 §2.2.3].
 */

export interface RenderedMessage {
  subject: string;
  text: string;
}

type Data = Record<string, unknown>;
type Template = (d: Data, t: (iso: unknown) => string) => RenderedMessage;

const stageNames: Record<Locale, Record<string, string>> = {
  'zh-CN': { acknowledge: '受理确认', investigate: '调查', plan: '处理方案', feedback: '方案反馈', repair: '维修', resolve: '处理完成', revisit: '回访' },
  en: { acknowledge: 'acknowledgement', investigate: 'investigation', plan: 'resolution plan', feedback: 'plan feedback', repair: 'repair', resolve: 'resolution', revisit: 'revisit' },
};

/** The items asked for, after the question. */
const list = (items: unknown, separator: string): string =>
  Array.isArray(items) && items.length ? ` (${items.map(String).join(separator)})` : '';
/** The deadlines a pause moved: ": investigate → 2026-12-09 10:00". */
const moved = (deadlines: unknown, time: (iso: unknown) => string): string => {
  const entries = Object.entries((deadlines ?? {}) as Record<string, { to?: string }>);
  return entries.length ? `: ${entries.map(([stage, m]) => `${stage} → ${time(m.to)}`).join(', ')}` : '';
};

const templates: Record<Locale, Record<string, Template>> = {
  'zh-CN': {
    received: (d, t) => ({
      subject: `投诉已受理 ${d.complaintId}`,
      text: `您的投诉已收到（编号 ${d.complaintId}）。当前进度：已受理，我们将在 ${t(d.acknowledgeBy)} 前确认。处理方式：相关部门调查后向您提出处理方案，由您确认。预计完成时间：${t(d.expectedCompletion)}。`,
    }),
    acknowledged: (d, t) => ({
      subject: `投诉已确认 ${d.complaintId}`,
      text: `您的投诉 ${d.complaintId} 已确认并进入调查，调查将在 ${t(d.investigateBy)} 前完成，预计完成时间：${t(d.expectedCompletion)}。`,
    }),
    plan_proposed: (d, t) => ({
      subject: `处理方案待您确认 ${d.complaintId}`,
      text: `我们为投诉 ${d.complaintId} 提出了处理方案（第 ${d.version} 版，方式：${d.remedy}），请在 ${t(d.answerBy)} 前接受或拒绝。`,
    }),
    resolved: (d) => ({ subject: `投诉已处理完成 ${d.complaintId}`, text: `您的投诉 ${d.complaintId} 已处理完成。` }),
    satisfaction_request: (d, t) => ({
      subject: `请评价本次服务 ${d.complaintId}`,
      text: `请在 ${t(d.answerBy)} 前为投诉 ${d.complaintId} 的处理打分（1–5 分）并留下意见。`,
    }),
    satisfaction_reminder: (d, t) => ({
      subject: `提醒：请评价本次服务 ${d.complaintId}`,
      text: `您尚未评价投诉 ${d.complaintId} 的处理，评价截止时间：${t(d.answerBy)}。`,
    }),
    closed: (d) => ({ subject: `投诉已结案 ${d.complaintId}`, text: `投诉 ${d.complaintId} 已结案，全部处理记录已存档。感谢您的反馈。` }),
    withdrawn: (d) => ({ subject: `投诉已撤回 ${d.complaintId}`, text: `您已撤回投诉 ${d.complaintId}。` }),
    plan_rejected: (d) => ({ subject: `方案被拒绝 ${d.complaintId}`, text: `消费者拒绝了投诉 ${d.complaintId} 的第 ${d.version} 版方案，请调整后重新提出。` }),
    deadline_warning: (d, t) => ({
      subject: `时限预警 ${d.complaintId}`,
      text: `投诉 ${d.complaintId} 的${stageNames['zh-CN'][String(d.stage)] ?? d.stage}环节将于 ${t(d.deadline)} 到期。`,
    }),
    deadline_breached: (d, t) => ({
      subject: `超时 ${d.complaintId}`,
      text: `投诉 ${d.complaintId} 的${stageNames['zh-CN'][String(d.stage)] ?? d.stage}环节已于 ${t(d.deadline)} 超时：${d.reason}。`,
    }),
    escalated: (d) => ({ subject: `投诉升级 ${d.complaintId}`, text: `投诉 ${d.complaintId} 已由 ${d.from} 级升至 ${d.to} 级。原因：${d.reason}` }),
    emergency: (d) => ({ subject: `紧急投诉 ${d.complaintId}`, text: `紧急投诉 ${d.complaintId}（${d.category}）已进入应急处理流程，请立即跟进。` }),
    handler_failed: (d) => ({ subject: `处理请求被拒 ${d.complaintId}`, text: `投诉 ${d.complaintId} 的请求 ${d.key} 被拒绝：${d.reason}。请人工跟进。` }),
    information_request: (d, t) => ({
      subject: `需要您补充信息 ${d.complaintId}`,
      text: `为处理投诉 ${d.complaintId}，我们需要您补充：${d.question}${list(d.needed, '；')}。请在 ${t(d.answerBy)} 前回复；等待期间处理时限暂停计算。`,
    }),
    information_reminder: (d, t) => ({
      subject: `提醒：请补充信息 ${d.complaintId}`,
      text: `投诉 ${d.complaintId} 仍在等待您的回复：${d.question}。回复截止时间：${t(d.answerBy)}。`,
    }),
    information_received: (d, t) => ({ subject: `消费者已补充信息 ${d.complaintId}`, text: `消费者已回复投诉 ${d.complaintId} 的问题，处理时限恢复计算${moved(d.deadlines, t)}。` }),
    information_not_received: (d, t) => ({ subject: `消费者未回复 ${d.complaintId}`, text: `投诉 ${d.complaintId} 的问题在期限内未获回复，处理时限已恢复计算${moved(d.deadlines, t)}，请继续处理。` }),
    reopened: (d, t) => ({
      subject: `投诉已重新开启 ${d.complaintId}`,
      text: d.reason ? `投诉 ${d.complaintId} 已重新开启（第 ${d.count} 次）：${d.reason}。` : `您的投诉 ${d.complaintId} 已重新开启并进入调查，调查将在 ${t(d.investigateBy)} 前完成，预计完成时间：${t(d.expectedCompletion)}。`,
    }),
  },
  en: {
    received: (d, t) => ({
      subject: `Complaint received ${d.complaintId}`,
      text: `We have received your complaint (${d.complaintId}). Progress: received; we will acknowledge it by ${t(d.acknowledgeBy)}. Method: the departments concerned investigate, then we propose a plan for you to accept. Expected completion: ${t(d.expectedCompletion)}.`,
    }),
    acknowledged: (d, t) => ({
      subject: `Complaint acknowledged ${d.complaintId}`,
      text: `Your complaint ${d.complaintId} is acknowledged and under investigation until ${t(d.investigateBy)}. Expected completion: ${t(d.expectedCompletion)}.`,
    }),
    plan_proposed: (d, t) => ({
      subject: `A plan for your complaint ${d.complaintId}`,
      text: `We propose plan v${d.version} (${d.remedy}) for complaint ${d.complaintId}. Please accept or reject it by ${t(d.answerBy)}.`,
    }),
    resolved: (d) => ({ subject: `Complaint resolved ${d.complaintId}`, text: `Your complaint ${d.complaintId} has been resolved.` }),
    satisfaction_request: (d, t) => ({
      subject: `How did we do? ${d.complaintId}`,
      text: `Please rate how we handled complaint ${d.complaintId} (1-5) and leave a comment by ${t(d.answerBy)}.`,
    }),
    satisfaction_reminder: (d, t) => ({
      subject: `Reminder: how did we do? ${d.complaintId}`,
      text: `You have not rated complaint ${d.complaintId} yet; you can until ${t(d.answerBy)}.`,
    }),
    closed: (d) => ({ subject: `Complaint closed ${d.complaintId}`, text: `Complaint ${d.complaintId} is closed and its record archived. Thank you.` }),
    withdrawn: (d) => ({ subject: `Complaint withdrawn ${d.complaintId}`, text: `You withdrew complaint ${d.complaintId}.` }),
    plan_rejected: (d) => ({ subject: `Plan rejected ${d.complaintId}`, text: `The consumer rejected plan v${d.version} of ${d.complaintId}; adjust it and propose again.` }),
    deadline_warning: (d, t) => ({
      subject: `Deadline approaching ${d.complaintId}`,
      text: `The ${stageNames.en[String(d.stage)] ?? d.stage} of ${d.complaintId} is due ${t(d.deadline)}.`,
    }),
    deadline_breached: (d, t) => ({
      subject: `Deadline missed ${d.complaintId}`,
      text: `The ${stageNames.en[String(d.stage)] ?? d.stage} of ${d.complaintId} missed its deadline ${t(d.deadline)}: ${d.reason}.`,
    }),
    escalated: (d) => ({ subject: `Escalated ${d.complaintId}`, text: `${d.complaintId} escalated from level ${d.from} to ${d.to}: ${d.reason}` }),
    emergency: (d) => ({ subject: `Urgent complaint ${d.complaintId}`, text: `Urgent complaint ${d.complaintId} (${d.category}) started the emergency path; follow up now.` }),
    handler_failed: (d) => ({ subject: `Request refused ${d.complaintId}`, text: `Request ${d.key} of ${d.complaintId} was refused: ${d.reason}. Please follow up by hand.` }),
    information_request: (d, t) => ({
      subject: `We need information from you ${d.complaintId}`,
      text: `To handle complaint ${d.complaintId} we need: ${d.question}${list(d.needed, '; ')}. Please answer by ${t(d.answerBy)}; our deadline is paused while we wait.`,
    }),
    information_reminder: (d, t) => ({
      subject: `Reminder: we need information ${d.complaintId}`,
      text: `Complaint ${d.complaintId} is still waiting for your answer: ${d.question}. You can answer until ${t(d.answerBy)}.`,
    }),
    information_received: (d, t) => ({ subject: `The consumer answered ${d.complaintId}`, text: `The consumer answered the question on ${d.complaintId}; its clock runs again${moved(d.deadlines, t)}.` }),
    information_not_received: (d, t) => ({ subject: `No answer from the consumer ${d.complaintId}`, text: `The question on ${d.complaintId} was not answered in time; its clock runs again${moved(d.deadlines, t)}. Please go on with the case.` }),
    reopened: (d, t) => ({
      subject: `Complaint reopened ${d.complaintId}`,
      text: d.reason ? `${d.complaintId} was reopened (${d.count}): ${d.reason}.` : `Your complaint ${d.complaintId} is reopened and under investigation until ${t(d.investigateBy)}. Expected completion: ${t(d.expectedCompletion)}.`,
    }),
  },
};

export const templateEvents = Object.keys(templates.en);

export function render(event: string, locale: Locale, data: Data, timezone: string): RenderedMessage {
  const template = templates[locale][event] ?? templates.en[event];
  const time = (iso: unknown) =>
    typeof iso === 'string'
      ? DateTime.fromISO(iso, { zone: timezone }).setLocale(locale).toFormat(locale === 'en' ? 'yyyy-MM-dd HH:mm ZZZZ' : 'yyyy年M月d日 HH:mm')
      : '—';
  if (!template) return { subject: `${event} ${data.complaintId ?? ''}`.trim(), text: JSON.stringify(data) };
  return template(data, time);
}
