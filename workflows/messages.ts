import { defineQuery } from '@temporalio/workflow';
import type { Complaint } from '../domain/complaint-schema';

/** Messages of the complaint workflow, shared by the workflow and its clients (API, ops). */
export const getComplaintQuery = defineQuery<Complaint>('getComplaint');
