// A second eval set: the 18 WIT-style components of test/index/tools-fixture.ts and 22 requests written for them.
import type { SourceInput } from '../index/documents.js';
import { FIXTURE_SOURCES } from '../test/index/tools-fixture.js';

export const OWN_SOURCES: readonly SourceInput[] = FIXTURE_SOURCES;

/**
 * Written by the index's author from the tool list alone, in the words a user would type, avoiding
 * the tools' own names where a paraphrase is natural; none is among the unit tests' queries, and
 * none was changed after seeing a ranking.
 */
export const OWN_QUERIES: readonly { query: string; relevant: string[] }[] = [
  ['is it windy outside in Oslo right now', 'current-conditions'],
  ['forecast for London this weekend', 'get-forecast'],
  ['turn README.md into a web page', 'render-html'],
  ['fingerprint this file with sha-256', 'sha256'],
  ['legacy md5 checksum of a download', 'md5'],
  ['say this in French', 'translate'],
  ['make a thumbnail of this photo', 'resize-image'],
  ['convert my photo to black and white', 'to-grayscale'],
  ['notify bob by mail that the build is done', 'send-email'],
  ['current time in New York', 'time-in-zone'],
  ['what date is 30 days from today', 'add-days'],
  ['meaning of the word ephemeral', 'define-word'],
  ['calculate 17% of 2300', 'evaluate'],
  ['turn a spreadsheet export into JSON', 'csv-to-json'],
  ['generate a scannable code for my website link', 'make-qr-code'],
  ['price of MSFT shares', 'stock-quote'],
  ['latitude and longitude of the Eiffel Tower', 'geocode'],
  ['get the text out of a scanned contract PDF', 'extract-text'],
  ['I need a unique identifier', 'new-uuid'],
  ['check if this string matches an email pattern', 'regex-match'],
  ['how many pounds is 5 kilograms', 'convert-units'],
  ['file a bug in our repo', 'create-issue'],
].map(([query, tool]) => ({ query: query as string, relevant: [tool as string] }));
