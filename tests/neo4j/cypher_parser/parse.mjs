// Lints Cypher with Neo4j's own parser (@neo4j-cypher/language-support).
// stdin: {"schema": {labels, relationshipTypes, parameters}, "items": [{"text", "console"}]}
// stdout: one list of {severity, message, line} per item (1 = error, 2 = warning).
import { lintCypherQuery } from "@neo4j-cypher/language-support";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { schema, items } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const out = items.map(({ text, console }) =>
  lintCypherQuery(text, schema, { consoleCommandsEnabled: !!console }).diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    line: d.range.start.line,
  })),
);
process.stdout.write(JSON.stringify(out));
