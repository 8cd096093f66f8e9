/**
 * `report/size/{n}n-day`: the bytes of report.html for the churn day on `nodes` nodes (PODS pods),
 * and `report/open/{n}n-day`: how long headless Chromium takes to load it and draw every plot
 * (from navigation to the load event, the page's script having run), when Chromium is here.
 * Run as `node dist/bench/report.js NODES PODS`.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { simulate } from "../scenarios/cli/run.js";
import { heatmap } from "../scenarios/report/heatmap.js";
import { reportHtml } from "../scenarios/report/html.js";
import { churnScenario } from "./churn.js";
import type { BenchResult } from "./engine.js";

const CHROMIUM = process.env["TIMONEIRO_CHROMIUM"] ?? "/usr/bin/chromium";

export async function reportSize(nodes: number, pods: number): Promise<BenchResult[]> {
  const scenario = churnScenario(nodes, pods);
  const { rows, summary, metrics } = simulate(scenario, { choice: { policy: "first-fit" }, description: "first-fit" }, 60, undefined);
  const html = reportHtml({ summary, rows, heatmap: heatmap(metrics.nodeTraces(), summary.until + 1) });
  const name = `${nodes}n-day`;
  const results: BenchResult[] = [{ name: `report/size/${name}`, value: Buffer.byteLength(html), unit: "B", median_of: 1 }];
  if (!existsSync(CHROMIUM)) return results;
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-bench-"));
  try {
    const file = join(dir, "report.html");
    writeFileSync(file, html);
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
    try {
      const times: number[] = [];
      for (let run = 0; run < 3; run++) {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        const start = process.hrtime.bigint();
        await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        await page.close();
      }
      times.sort((a, b) => a - b);
      results.push({ name: `report/open/${name}`, value: Math.round(times[1] as number), unit: "ms", median_of: 3 });
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  for (const result of await reportSize(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 200_000))) process.stdout.write(JSON.stringify(result) + "\n");
}
