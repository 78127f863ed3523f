// Runs graphql-http's server audits (the GraphQL-over-HTTP spec's checks)
// against the URL given and prints one JSON line: [{id, name, status, reason}].
// Installed by scripts/setup.d/25-graphql-http-audit.sh; run by test_http_audit.py.
const { auditServer } = require('graphql-http');

auditServer({ url: process.argv[2] })
  .then((results) => {
    const out = results.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      reason: r.status === 'ok' ? null : r.reason,
    }));
    console.log(JSON.stringify(out));
  })
  .catch((err) => {
    console.error(err);
    process.exit(2);
  });
