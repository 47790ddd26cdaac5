export { complaintWorkflow } from './complaint';
export { erasePersonalDataWorkflow, retentionSweepWorkflow } from './erasure';
