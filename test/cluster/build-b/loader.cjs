// Build B of the deploy drill (test/cluster/deploy.test.ts): today's workflow code with one
// change behind a patch, as a real release brings one. After an acknowledgement it records
// which build took it in the workflow's memo — a command build A's code never makes, so a
// case that ran it would fail on A with a non-determinism error.
const anchor = 'changed(applyAction(state, { type, input } as Action, actor, now()));';
const change = `${anchor}
        if (type === 'acknowledge' && patched('deploy-drill-build-b')) upsertMemo({ acknowledgedBy: 'build-b' });`;

module.exports = function buildB(source) {
  if (!source.includes(anchor) || !source.includes('patched, proxyActivities')) {
    throw new Error('build B: workflows/complaint.ts changed; update the anchors in test/cluster/build-b/loader.cjs');
  }
  return source.replace(anchor, change).replace('patched, proxyActivities', 'patched, upsertMemo, proxyActivities');
};
