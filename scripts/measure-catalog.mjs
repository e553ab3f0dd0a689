// Token footprint of the committed tools/list snapshot, as a model sees each tool: name, description and
// input schema (o200k). Usage: node scripts/measure-catalog.mjs [--top N]
import { readFileSync } from 'node:fs';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';

const catalog = JSON.parse(
  readFileSync(new URL('../test/__snapshots__/tools-list.json', import.meta.url), 'utf8'),
);
const rows = catalog.tools.map((t) => ({
  name: t.name,
  tokens: encode(JSON.stringify({ name: t.name, description: t.description, input_schema: t.inputSchema }))
    .length,
  description: encode(t.description).length,
}));
const total = rows.reduce((s, r) => s + r.tokens, 0);
const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 20;
rows.sort((a, b) => b.tokens - a.tokens);
for (const r of rows.slice(0, top))
  console.log(`${String(r.tokens).padStart(5)}  (desc ${String(r.description).padStart(3)})  ${r.name}`);
console.log(`${rows.length} tools, total ${total} tokens, largest ${rows[0]?.tokens ?? 0}`);
