// Failure messages and stack traces go into an encoded attribute, so the payload codec
// encrypts them too: an error message quoting a phone number stays secret. Plain CommonJS
// because the Temporal SDK loads it by path (`failureConverterPath`) in clients, workers and
// the workflow bundle alike.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
