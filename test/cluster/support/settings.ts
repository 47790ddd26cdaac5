// What the cluster suite's global setup and its test files share; no vitest import (a global
// setup may not load it).

/** What the cluster suite's global setup hands the test files. */
export interface ClusterInfo {
  controlUrl: string;
  apiUrls: string[];
  temporalAddress: string;
  namespace: string;
  mongoUri: string;
  /** Build A's workflow bundle, the one the workers start with. */
  workflowBundle: string;
  dataDir: string;
}

/** One secret per receiver, as in production. */
export const clusterSecrets = { '/payments': 'cluster-payments-secret-0123', '/notify': 'cluster-gateway-secret-0123' };
export const deploymentName = 'complaints';
