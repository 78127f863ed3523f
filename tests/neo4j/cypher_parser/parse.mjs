// Parses Cypher statements with Neo4j's own parser and prints the syntax errors.
// Reads a JSON list of strings on stdin; writes a JSON list (one list of
// {message, line, character} per statement) on stdout.
import { lintCypherQuery } from "@neo4j-cypher/language-support";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const queries = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const out = queries.map((query) =>
  lintCypherQuery(query, {}).diagnostics
    .filter((d) => d.severity === 1)
    .map((d) => ({ message: d.message, line: d.range.start.line, character: d.range.start.character })),
);
process.stdout.write(JSON.stringify(out));
