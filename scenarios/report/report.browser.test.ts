/**
 * report.html in a real browser: Debian's chromium (installed by scripts/install-browser.sh, which
 * .ci/run calls) driven by playwright-core. Opens the report of the node-failure example and of a
 * log whose names are markup, and checks what a person would see: no script errors, every plot
 * drawn, names shown as text.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main, mainAsync } from "../cli/main.js";
import { memoryOutput } from "../cli/output.js";
import { packageRoot } from "../cli/run.js";

const CHROMIUM = process.env["TIMONEIRO_CHROMIUM"] ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const MISSING = `no Chromium at ${CHROMIUM}; run bash scripts/install-browser.sh (as root; .ci/run does) or set TIMONEIRO_CHROMIUM`;
if (!HAVE_CHROMIUM) console.warn(`report.html browser tests skipped: ${MISSING}`);

/** Each test starts here: without Chromium it is skipped, saying why — except in CI, which installs Chromium first (.ci/run), where that is a failure. */
function needChromium(context: { skip: (note?: string) => void }): void {
  if (HAVE_CHROMIUM) return;
  if (process.env["CI"] === "true") expect.fail(MISSING);
  context.skip(MISSING);
}

function cli(...args: string[]) {
  const output = memoryOutput();
  const code = main(args, output);
  return { code, out: output.out.join("\n"), err: output.err.join("\n") };
}

/** What a page shows and did: errors, dialogs, and each plot's drawn pixels or shapes. */
async function open(browser: Browser, file: string) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const started = Date.now();
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  const loadMs = Date.now() - started;
  // Run in the page (as text: this package is compiled without the DOM's types). Each canvas: how
  // many of its pixels are not transparent (uPlot's plots, the heat map); each SVG: its shapes.
  const canvases = (await page.evaluate(`[...document.querySelectorAll("canvas")].map((canvas) => {
    const context = canvas.getContext("2d");
    const id = canvas.closest("[id]")?.id ?? "";
    if (context === null || canvas.width === 0 || canvas.height === 0) return { id, drawn: 0 };
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let index = 3; index < pixels.length; index += 4) if (pixels[index] > 0) drawn++;
    return { id, drawn };
  })`)) as { id: string; drawn: number }[];
  const svgs = (await page.evaluate(`[...document.querySelectorAll("svg")].map((svg) => ({ id: svg.closest("[id]")?.id ?? "", shapes: svg.querySelectorAll("rect").length }))`)) as { id: string; shapes: number }[];
  const text = (await page.evaluate("document.body.innerText")) as string;
  const images = (await page.evaluate(`document.querySelectorAll("img").length`)) as number;
  await page.close();
  return { errors, dialogs, canvases, svgs, text, images, loadMs };
}

describe(`report.html in headless Chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!HAVE_CHROMIUM) return;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 60_000);
  afterAll(async () => {
    if (HAVE_CHROMIUM) await browser.close();
  });

  it("the node-failure example's report: no errors, every plot drawn, the answer and the Service's availability shown", async (context) => {
    needChromium(context);
    const dir = mkdtempSync(join(tmpdir(), "timoneiro-report-"));
    expect(cli("run", join(packageRoot(), "examples/node-failure.yaml"), "--out", dir).code).toBe(0);
    const seen = await open(browser, join(dir, "report.html"));
    expect(seen.errors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
    // uPlot draws each chart on a canvas: cpu, memory, pods (per resource), the pods, the failed attempts, the nodes, the Service; and the heat map.
    const plots = ["resource-0", "resource-1", "resource-2", "pods", "attempts", "nodes", "services-chart", "heatmap"];
    for (const id of plots) {
      const drawn = seen.canvases.filter((canvas) => canvas.id === id).reduce((sum, canvas) => sum + canvas.drawn, 0);
      expect(drawn, id).toBeGreaterThan(1000);
    }
    // The latency histogram (SVG bars, one per bucket: 11) and the Service's strip (its span and the intervals it was short).
    expect(seen.svgs.find((svg) => svg.id === "latency")?.shapes).toBe(11);
    expect(seen.svgs.find((svg) => svg.id === "services")?.shapes).toBeGreaterThan(1);
    expect(seen.text).toContain("Yes. Every pod found a node when it was tried");
    // 10 s + 5m15s + 10 s short; none ready only at start-up (10 s).
    expect(seen.text).toContain("Availability: 1 Service(s) had fewer ready pods than desired for a while: default/web (5m35s, none ready for 10s).");
    expect(seen.text).toContain("default/web");
    expect(seen.text).toContain("0s–10s, 1m45s–7m, 12m40s–12m50s (5m35s in all)");
    expect(seen.loadMs).toBeLessThan(5000);
  }, 60_000);

  it("names that are markup (a pod <img src=x onerror=alert(1)>, a scenario </script>…) are shown as text, never run", async (context) => {
    needChromium(context);
    const dir = mkdtempSync(join(tmpdir(), "timoneiro-report-"));
    expect(cli("run", "--out", dir).code).toBe(0);
    // Names kube would refuse can still come in a log from elsewhere: report reads it as it is.
    const log = join(dir, "events.jsonl");
    const pod = "<img src=x onerror=alert(1)>";
    const scenario = "</script><script>alert(2)</script>";
    writeFileSync(log, readFileSync(log, "utf8").replaceAll("pod-d", pod).replace('"seed-example"', JSON.stringify(scenario)));
    expect(cli("report", log).code).toBe(0);
    const seen = await open(browser, join(dir, "report.html"));
    expect(seen.errors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
    expect(seen.images).toBe(0);
    // pod-d waited the whole run: it heads the slowest pods, by its name as written.
    expect(seen.text).toContain(`default/${pod}`);
    expect(seen.text).toContain(`Timoneiro report: ${scenario}`);
  }, 60_000);

  it("compare.html: each candidate overlaid on five plots, the table and the verdict, no errors", async (context) => {
    needChromium(context);
    const dir = mkdtempSync(join(tmpdir(), "timoneiro-compare-"));
    const output = memoryOutput();
    expect(await mainAsync(["compare", join(packageRoot(), "examples/node-failure.yaml"), "--policy", "kube,best-fit", "--out", dir], output)).toBe(0);
    const seen = await open(browser, join(dir, "compare.html"));
    expect(seen.errors).toEqual([]);
    for (const id of ["pending", "cpu", "memory", "nodes", "attempts"]) {
      const drawn = seen.canvases.filter((canvas) => canvas.id === id).reduce((sum, canvas) => sum + canvas.drawn, 0);
      expect(drawn, id).toBeGreaterThan(1000);
    }
    expect(seen.text).toMatch(/Service time below desired \(Σ Services\)\s+5m35s\s+10s/);
  }, 60_000);

  it("fgd.html: allocation, fragmentation and its ratio against the arrived workload, each policy drawn, the table shown", async (context) => {
    needChromium(context);
    const dir = mkdtempSync(join(tmpdir(), "timoneiro-fgd-"));
    const nodes = join(dir, "nodes.csv");
    const pods = join(dir, "pods.csv");
    writeFileSync(nodes, "sn,cpu_milli,memory_mib,gpu,model\na,16000,64000,1,T4\nb,64000,256000,2,T4\n");
    writeFileSync(pods, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\np1,8000,1000,1,600,,LS,Running,0,10,0\np2,4000,1000,1,300,,LS,Running,0,10,0\n");
    const output = memoryOutput();
    expect(await mainAsync(["bench", "fgd", "--nodes", nodes, "--pods", pods, "--seeds", "1,2", "--out", dir], output)).toBe(0);
    const seen = await open(browser, join(dir, "fgd.html"));
    expect(seen.errors).toEqual([]);
    for (const id of ["allocation", "amount", "ratio"]) {
      const drawn = seen.canvases.filter((canvas) => canvas.id === id).reduce((sum, canvas) => sum + canvas.drawn, 0);
      expect(drawn, id).toBeGreaterThan(1000);
    }
    expect(seen.text).toContain("Ranking by GPU allocation at 100%:");
    for (const policy of ["Random", "DotProduct", "GpuClustering", "GpuPacking", "BestFit", "FGD"]) expect(seen.text).toContain(policy);
  }, 60_000);
});
