/** How to send a first prediction with a new key: the TypeScript SDK and the raw HTTP call. */
export function sdkSnippets(endpoint: string, secret: string) {
  const typescript = `import { Vigil } from '@vigil/sdk';

const vigil = new Vigil({ apiKey: process.env.VIGIL_API_KEY, endpoint: '${endpoint}' });

vigil.logPrediction({
  id: 'request-123',            // unique per prediction: retries are counted once
  model: 'my-model',
  features: { amount: 42.5, country: 'DE' },
  prediction: 1,
});
await vigil.shutdown();         // flushes on exit`;
  const curl = `curl -X POST ${endpoint}/v1/predictions \\
  -H 'Authorization: Bearer ${secret}' \\
  -H 'Content-Type: application/json' \\
  -d '{"predictions":[{"id":"request-123","model":"my-model","features":{"amount":42.5},"prediction":1}]}'`;
  return { typescript, curl };
}
