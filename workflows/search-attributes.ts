import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { Complaint } from '../domain/complaint-schema';

/**
 * Search attributes of a complaint workflow: what the Temporal Web UI and the ops tools
 * filter on. Never personal data (name, phone, e-mail) - visibility is not encrypted.
 * The embedded dev server registers exactly these at start-up.
 */
export const complaintSearchAttributes = {
  status: defineSearchAttributeKey('ComplaintStatus', SearchAttributeType.KEYWORD),
  category: defineSearchAttributeKey('ComplaintCategory', SearchAttributeType.KEYWORD),
  severity: defineSearchAttributeKey('ComplaintSeverity', SearchAttributeType.KEYWORD),
  escalationLevel: defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT),
  breached: defineSearchAttributeKey('Breached', SearchAttributeType.BOOL),
  departments: defineSearchAttributeKey('Departments', SearchAttributeType.KEYWORD_LIST),
};

/** `Name=Type` as the Temporal CLI's `--search-attribute` flag wants it. */
export function searchAttributeFlags(): string[] {
  const cliType: Record<string, string> = {
    [SearchAttributeType.KEYWORD]: 'Keyword',
    [SearchAttributeType.INT]: 'Int',
    [SearchAttributeType.BOOL]: 'Bool',
    [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
  };
  return Object.values(complaintSearchAttributes).map((key) => `${key.name}=${cliType[key.type]}`);
}

/** The search attribute values that describe a complaint as it stands. */
export function searchAttributesOf(complaint: Complaint): SearchAttributeUpdatePair[] {
  const sa = complaintSearchAttributes;
  return [
    { key: sa.status, value: complaint.status },
    { key: sa.category, value: complaint.category },
    { key: sa.severity, value: complaint.severity },
    { key: sa.escalationLevel, value: complaint.escalationLevel },
    { key: sa.breached, value: complaint.breaches.length > 0 },
    { key: sa.departments, value: complaint.departments },
  ];
}
