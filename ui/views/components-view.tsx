// Pure: the loaded components view: each component's tools, signature, grants and effective policy.
import type { DetailLine } from '../request-details.js';
import { signatureTone } from '../request-details.js';
import { clamp } from '../text.js';
import type { ComponentInfo } from '../types.js';
import { Line } from './lines.js';
import { ListDetail } from './list-detail.js';

export interface ComponentsViewProps {
  components: ComponentInfo[];
  /** Components are not known yet. */
  starting?: boolean;
  cursor: number;
  open: boolean;
  scroll: number;
  width: number;
  height: number;
}

export function componentDetails(c: ComponentInfo): DetailLine[] {
  const out: DetailLine[] = [
    { text: `Source     ${c.source}`, tone: 'plain', indent: 11 },
    { text: `Digest     ${c.digest}`, tone: 'plain', indent: 11 },
    { text: `Signature  ${c.signature}`, tone: signatureTone(c.signature), indent: 11 },
  ];
  if (c.unavailable) out.push({ text: `Unavailable: ${c.unavailable}`, tone: 'bad', indent: 2 });
  out.push({ text: `Tools (${c.tools.length})`, tone: 'heading' });
  for (const t of c.tools) out.push({ text: `  ${t}`, tone: 'plain', indent: 4 });
  out.push({ text: c.grants.length ? `Grants (${c.grants.length})` : 'Grants: none beyond the starting policy', tone: 'heading' });
  for (const g of c.grants) out.push({ text: `  ${g}`, tone: 'new', indent: 4 });
  out.push({ text: 'Effective policy', tone: 'heading' });
  const yaml = c.policyYaml.trimEnd();
  for (const l of yaml === '' ? ['(none: no files, network or environment)'] : yaml.split('\n')) out.push({ text: `  ${l}`, tone: 'dim', indent: 4 });
  return out;
}

export function ComponentsView(p: ComponentsViewProps) {
  const cursor = clamp(p.cursor, p.components.length);
  const selected = p.components[cursor];
  const idWidth = Math.min(24, Math.max(4, ...p.components.map((c) => c.id.length)));
  const rows = p.components.map(
    (c) =>
      `${c.id.padEnd(idWidth)}  ${`${c.tools.length} tool${c.tools.length === 1 ? '' : 's'}`.padEnd(9)} ${c.unavailable ? 'UNAVAILABLE ' : ''}${c.signature}`,
  );
  return (
    <ListDetail
      rows={rows}
      rowTones={p.components.map((c) => (c.unavailable ? 'bad' : 'plain'))}
      cursor={cursor}
      details={selected ? componentDetails(selected) : []}
      open={p.open}
      scroll={p.scroll}
      width={p.width}
      height={p.height}
      empty={<Line text={p.starting ? 'Reading the loaded components…' : 'No components loaded.'} width={p.width} />}
      title={selected ? `Component ${selected.id}` : ''}
    />
  );
}
