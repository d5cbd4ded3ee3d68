// Crawl throughput from the loopback registry: 200 components with tool-description layers (the fast path), and
// 40 without (each component layer pulled and its WIT decoded), into a fresh index with the real embedding model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWassette } from '../src/core/wassette.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { RegistryClient } from '../src/oci/client.js';
import { buildToolDescription } from '../src/oci/describe-layer.js';
import { publishComponent } from '../src/oci/publish.js';
import { fixture, ROOT, tempHome } from '../test/helpers/cli.js';
import { destroyRegistry, startRegistry } from '../test/helpers/registry.js';

const WITH_LAYER = 200;
const WITHOUT_LAYER = 40;
const TARGET_S = 60;

async function timedCrawl(home: string, registry: string, prefix: string): Promise<{ seconds: number; components: number; tools: number }> {
  const config = loadConfig({
    WASSETTE_HOME: home,
    WASSETTE_EMBED_MODEL: join(ROOT, 'fixtures', 'build', 'models', 'all-MiniLM-L6-v2'),
    WASSETTE_MODEL_DOWNLOAD: '0',
  });
  const w = await openWassette(config, silentLogger, { restore: false, warmOnLoad: false });
  try {
    const t0 = performance.now();
    const s = await w.crawl([{ registry, repositories: [prefix] }]);
    if (s.failed.length > 0) throw new Error(`crawl failures: ${JSON.stringify(s.failed.slice(0, 3))}`);
    return { seconds: (performance.now() - t0) / 1000, components: s.components, tools: s.tools };
  } finally {
    await w.close();
  }
}

export async function run(): Promise<string> {
  const reg = await startRegistry();
  const home = tempHome('wassette-bench-crawl-');
  try {
    const client = new RegistryClient();
    const bytes = readFileSync(fixture('text-tools'));
    const tools = [
      {
        name: 'word_count',
        description: 'Counts whitespace-separated words.',
        inputSchema: { type: 'object', properties: { input: { type: 'string' } } },
        outputSchema: {},
      },
      {
        name: 'slugify',
        description: 'Lower-cases and joins the words with dashes.',
        inputSchema: { type: 'object', properties: { input: { type: 'string' } } },
        outputSchema: {},
      },
    ];
    // Distinct manifests (annotations differ); the blobs are shared, as versions of one tool often are.
    for (let i = 0; i < WITH_LAYER; i++) {
      await publishComponent(bytes, `oci://${reg.registry}/layer/tool-${i}:latest`, {
        client,
        annotations: { description: `Text utility number ${i}: counting, slugs and splitting.` },
        descriptionJson: buildToolDescription('', tools),
      });
    }
    for (let i = 0; i < WITHOUT_LAYER; i++) {
      await publishComponent(bytes, `oci://${reg.registry}/decode/tool-${i}:latest`, { client, annotations: { description: `Decoded tool ${i}` } });
    }
    const layer = await timedCrawl(home.home, reg.registry, 'layer/');
    const decoded = await timedCrawl(home.home, reg.registry, 'decode/');
    const again = await timedCrawl(home.home, reg.registry, 'layer/');
    return [
      '## Crawl',
      '',
      `Loopback \`docker-registry\`, fresh index, real embedding model (each tool embedded as it is indexed); concurrency 4.`,
      '',
      '| case | components | tools | seconds | components/s |',
      '|---|---|---|---|---|',
      `| with description layers | ${layer.components} | ${layer.tools} | ${layer.seconds.toFixed(1)} | ${(layer.components / layer.seconds).toFixed(1)} |`,
      `| without (pull + decode) | ${decoded.components} | ${decoded.tools} | ${decoded.seconds.toFixed(1)} | ${(decoded.components / decoded.seconds).toFixed(1)} |`,
      `| again, nothing changed | ${again.components} | ${again.tools} | ${again.seconds.toFixed(1)} | ${(again.components / again.seconds).toFixed(1)} |`,
      '',
      `Target: ${WITH_LAYER} components with description layers in under ${TARGET_S} s: ${layer.seconds < TARGET_S ? 'met' : 'NOT met'}.`,
    ].join('\n');
  } finally {
    await destroyRegistry(reg);
    home.cleanup();
  }
}
