// npm run fuzz: runs every cargo-fuzz target of fuzz/ for FUZZ_SECONDS seconds (60 by default)
// and records the executions and crashes in BENCHMARKS.md's "Fuzzing" section. Needs the nightly
// toolchain and cargo-fuzz, which scripts/fuzz.sh installs. Not part of CI.
//
// A crash leaves its input in fuzz/artifacts/<target>/; `cargo +nightly fuzz run <target> <file>`
// replays it. The run exits non-zero when any target crashed.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = (path) => `${root}${path}`;
const seconds = Number(process.env.FUZZ_SECONDS ?? 60);

/** Valid inputs to start from, so that the fuzzer begins past the first byte of the formats. */
const SEEDS = {
  wire_json: ["perform-sale-request.json", "spec-request-example.json"],
  v2_text: ["v2-sale-example.txt", "v2-sale-recurring-example.txt", "v2-response-async.txt", "v2-response-validation-error.txt"],
};

/** What each target feeds its input to (fuzz/fuzz_targets, core/tests/harness). */
const DESCRIPTIONS = {
  card_fields: "card number, expiry, CVV and holder as typed; the checkout's edits of each field",
  wire_json: "a JSON body as perform sale, initiate sale, check sale, status and v2 requests, then validated",
  gateway_response: "a gateway answer (status, body) classified as perform sale's and as status's",
  v2_text: "/api/v2 answers and sale forms, percent-decoding, amounts",
  urls: "gateway URLs and 3-D Secure page URLs",
  browser_fields: "3-D Secure browser fields: language tags, the Accept header, form fields",
};

const targets = execFileSync("cargo", ["+nightly", "fuzz", "list"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
const rows = [];
for (const target of targets) {
  const corpus = at(`fuzz/corpus/${target}`);
  mkdirSync(corpus, { recursive: true });
  for (const seed of SEEDS[target] ?? []) copyFileSync(at(`core/tests/fixtures/${seed}`), `${corpus}/${seed}`);
  console.log(`== fuzz ${target} for ${seconds} s`);
  const run = spawnSync(
    "cargo",
    ["+nightly", "fuzz", "run", target, "--", `-max_total_time=${seconds}`, "-print_final_stats=1", "-rss_limit_mb=2048"],
    { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  const output = `${run.stdout}${run.stderr}`;
  const stat = (name) => Number(output.match(new RegExp(`stat::${name}:\\s*(\\d+)`))?.[1] ?? NaN);
  const artifacts = existsSync(at(`fuzz/artifacts/${target}`)) ? readdirSync(at(`fuzz/artifacts/${target}`)) : [];
  const crashes = artifacts.filter((file) => /^(crash|oom|timeout|leak)-/.test(file));
  const row = { target, executions: stat("number_of_executed_units"), perSecond: stat("average_exec_per_sec"), corpus: readdirSync(corpus).length, crashes, exit: run.status };
  console.log(`   ${row.executions} executions, ${row.crashes.length} crashes, exit ${row.exit}`);
  if (run.status !== 0 && crashes.length === 0) console.log(output.slice(-4000));
  rows.push(row);
}

const version = (command, ...args) => execFileSync(command, args, { cwd: root, encoding: "utf8" }).trim().split("\n")[0];
const section = `<!-- fuzz:start (written by npm run fuzz; npm run bench keeps it) -->
## Fuzzing

\`npm run fuzz\` on ${new Date().toISOString().slice(0, 10)}: each cargo-fuzz target (fuzz/fuzz_targets, driving the
same harness as the proptests in core/tests/no_panic.rs) for ${seconds} s, libFuzzer with
AddressSanitizer, ${version("cargo", "+nightly", "fuzz", "--version")}, ${version("rustc", "+nightly", "--version")}.

| target | what it parses | executions | per second | corpus | crashes |
| --- | --- | ---: | ---: | ---: | ---: |
${rows
  .map((row) => `| \`${row.target}\` | ${DESCRIPTIONS[row.target] ?? ""} | ${row.executions.toLocaleString("en")} | ${row.perSecond.toLocaleString("en")} | ${row.corpus} | ${row.crashes.length ? row.crashes.join(", ") : 0} |`)
  .join("\n")}

Total: ${rows.reduce((sum, row) => sum + row.executions, 0).toLocaleString("en")} executions, ${rows.reduce((sum, row) => sum + row.crashes.length, 0)} crashes.
<!-- fuzz:end -->`;

const file = at("BENCHMARKS.md");
const old = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
const marked = /<!-- fuzz:start[\s\S]*?<!-- fuzz:end -->/;
writeFileSync(file, marked.test(old) ? old.replace(marked, section) : `${old.trimEnd()}\n\n${section}\n`);
console.log(section);
process.exit(rows.some((row) => row.crashes.length || row.exit !== 0) ? 1 : 0);
