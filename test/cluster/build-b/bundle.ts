import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { workflowBundleOptions } from '../../../worker';

/** Bundles build B (see loader.cjs) into `dir`; returns the bundle's path. */
export async function bundleBuildB(dir: string): Promise<string> {
  const bundle = await bundleWorkflowCode({
    ...workflowBundleOptions,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    webpackConfigHook: (config) => {
      config.module?.rules?.push({
        test: /workflows[\\/]complaint\.ts$/,
        enforce: 'pre',
        use: [{ loader: path.resolve('test/cluster/build-b/loader.cjs') }],
      });
      return config;
    },
  });
  const file = path.join(dir, 'workflow-bundle-b.js');
  await writeFile(file, bundle.code);
  return file;
}
