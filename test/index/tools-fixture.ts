// About twenty components a person could plausibly search among, for the real-model search tests.
import type { SourceInput } from '../../index/documents.js';

function component(name: string, description: string, tools: SourceInput['tools']): SourceInput {
  return {
    source: `oci://ghcr.io/example/${name}:1.0.0`,
    kind: 'component',
    ref: `oci://ghcr.io/example/${name}@sha256:${name.padEnd(64, '0').slice(0, 64)}`,
    name,
    description,
    tools,
  };
}

export const FIXTURE_SOURCES: SourceInput[] = [
  component('weather', 'Forecasts and current conditions from a public weather service', [
    {
      name: 'get-forecast',
      description: 'Returns the forecast for a city for the next days',
      params: [
        { name: 'city', type: 'string' },
        { name: 'days', type: 'u8' },
      ],
    },
    { name: 'current-conditions', description: 'Temperature, wind and humidity now', params: [{ name: 'city', type: 'string' }] },
  ]),
  component('markdown', 'Markdown utilities', [
    { name: 'render-html', description: 'Renders Markdown source to HTML', params: [{ name: 'source', type: 'string' }] },
  ]),
  component('hasher', 'Cryptographic digests', [
    { name: 'sha256', description: 'Computes the SHA-256 digest of bytes', params: [{ name: 'data', type: 'list<u8>' }] },
    { name: 'md5', description: 'Computes an MD5 checksum', params: [{ name: 'data', type: 'list<u8>' }] },
  ]),
  component('translator', 'Machine translation between languages', [
    {
      name: 'translate',
      description: 'Translates text into a target language',
      params: [
        { name: 'text', type: 'string' },
        { name: 'target-lang', type: 'string' },
      ],
    },
  ]),
  component('imaging', 'Image processing', [
    {
      name: 'resize-image',
      description: 'Scales an image to a width and height in pixels',
      params: [
        { name: 'image', type: 'list<u8>' },
        { name: 'width', type: 'u32' },
        { name: 'height', type: 'u32' },
      ],
    },
    { name: 'to-grayscale', description: 'Converts a picture to black and white' },
  ]),
  component('mailer', 'Sends mail through SMTP', [
    {
      name: 'send-email',
      description: 'Sends an email message to a recipient',
      params: [
        { name: 'to', type: 'string' },
        { name: 'subject', type: 'string' },
        { name: 'body', type: 'string' },
      ],
    },
  ]),
  component('clock', 'Dates and times', [
    { name: 'time-in-zone', description: 'Current local time in an IANA time zone', params: [{ name: 'zone', type: 'string' }] },
    { name: 'add-days', description: 'Adds days to a date' },
  ]),
  component('dictionary', 'English dictionary', [
    { name: 'define-word', description: 'Looks up the definition of a word', params: [{ name: 'word', type: 'string' }] },
  ]),
  component('calculator', 'Arithmetic', [
    { name: 'evaluate', description: 'Evaluates an arithmetic expression like 2 * (3 + 4)', params: [{ name: 'expression', type: 'string' }] },
  ]),
  component('csv-tools', 'CSV files', [{ name: 'csv-to-json', description: 'Parses CSV text into JSON records', params: [{ name: 'csv', type: 'string' }] }]),
  component('qr', 'QR codes', [{ name: 'make-qr-code', description: 'Encodes a URL or text as a QR code PNG', params: [{ name: 'text', type: 'string' }] }]),
  component('stocks', 'Market data', [
    { name: 'stock-quote', description: 'Latest share price for a ticker symbol', params: [{ name: 'ticker', type: 'string' }] },
  ]),
  component('geo', 'Geocoding', [
    { name: 'geocode', description: 'Turns a street address into latitude and longitude', params: [{ name: 'address', type: 'string' }] },
  ]),
  component('pdf', 'PDF documents', [{ name: 'extract-text', description: 'Extracts the text of a PDF file', params: [{ name: 'pdf', type: 'list<u8>' }] }]),
  component('uuid', 'Identifiers', [{ name: 'new-uuid', description: 'Generates a random UUID v4' }]),
  component('regex', 'Regular expressions', [
    {
      name: 'regex-match',
      description: 'Tests whether text matches a regular expression',
      params: [
        { name: 'pattern', type: 'string' },
        { name: 'text', type: 'string' },
      ],
    },
  ]),
  component('units', 'Unit conversion', [
    {
      name: 'convert-units',
      description: 'Converts between units such as miles and kilometres',
      params: [
        { name: 'value', type: 'f64' },
        { name: 'from', type: 'string' },
        { name: 'to', type: 'string' },
      ],
    },
  ]),
  component('github', 'GitHub API', [
    {
      name: 'create-issue',
      description: 'Opens an issue in a GitHub repository',
      params: [
        { name: 'repo', type: 'string' },
        { name: 'title', type: 'string' },
      ],
    },
  ]),
];

/** Plain-language requests and the tools a person would accept (`a|b`: either is right). */
export const FIXTURE_QUERIES: [query: string, tools: string][] = [
  ["what's the weather in Paris", 'current-conditions|get-forecast'],
  ['will it be sunny in Rome over the next three days', 'get-forecast'],
  ['convert this markdown document to html', 'render-html'],
  ['translate this sentence into Spanish', 'translate'],
  ['make the picture smaller, 200 pixels wide', 'resize-image'],
  ['email my colleague the report', 'send-email'],
  ['what time is it in Tokyo right now', 'time-in-zone'],
  ['what does the word "serendipity" mean', 'define-word'],
  ['how much is Apple stock trading at', 'stock-quote'],
  ['find the coordinates of 10 Downing Street', 'geocode'],
  ['how many kilometres is 26 miles', 'convert-units'],
];
