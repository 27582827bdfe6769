// Runs graphql-http's GraphQL-over-HTTP server audits against a running API and prints one JSON
// object per line for each audit: {"id", "name", "status", "reason"}; status is "ok", or for a
// failed audit "error" (a MUST), "warn" (a SHOULD) or "notice" (a MAY). The Go test
// internal/httpapi TestGraphQLOverHTTPAudit judges the results; this script fails only when it
// cannot run the audits at all.
//
// Usage: node audit.mjs http://127.0.0.1:8080/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <GraphQL endpoint URL>');
  process.exit(2);
}

const results = await auditServer({ url });
for (const r of results) {
  const line = { id: r.id, name: r.name, status: r.status };
  if (r.status !== 'ok') {
    line.reason = r.reason;
    line.httpStatus = r.response.status;
    line.contentType = r.response.headers.get('content-type');
    try {
      line.body = (await r.response.text()).slice(0, 500);
    } catch {
      // the audit may have read the body already
    }
  }
  console.log(JSON.stringify(line));
}
