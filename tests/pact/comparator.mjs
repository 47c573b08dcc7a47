// @pactflow/openapi-pact-comparator over many contracts in one process: reads
// {"pact": PACT, "contracts": {NAME: OPENAPI, ...}} on stdin, writes {NAME: [RESULT, ...]}.
import { Comparator } from "@pactflow/openapi-pact-comparator";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { pact, contracts } = JSON.parse(input);
const found = {};
for (const [name, contract] of Object.entries(contracts)) {
  found[name] = [];
  const comparator = new Comparator({ oas: contract });
  for await (const result of comparator.compare(pact)) found[name].push(result);
}
process.stdout.write(JSON.stringify(found));
