// Runs a CloudFront Function (viewer request, runtime cloudfront-js-2.0) under node on each
// request of a JSON file, and prints what it did to each: the origin it chose, the URI it asked
// for, or the redirect it answered.
// usage: node cloudfront-function.mjs FUNCTION.js REQUESTS.json
import { readFileSync } from 'node:fs';

const [file, requests] = process.argv.slice(2);
const source = readFileSync(file, 'utf8');
// CloudFront's helper module exists only at the edge; the harness hands the function its own.
const head = "import cf from 'cloudfront';";
if (!source.startsWith(head)) {
  throw new Error(`${file} must start with ${head}`);
}
let origin = '';
const cf = { selectRequestOriginById(id) { origin = id; } };
const handler = new Function('cf', source.slice(head.length) + '\nreturn handler;')(cf);

const out = JSON.parse(readFileSync(requests, 'utf8')).map((request) => {
  origin = '';
  const r = handler({ version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '127.0.0.1' }, request });
  return {
    origin,
    uri: r.statusCode ? '' : r.uri,
    status: r.statusCode || 0,
    location: r.statusCode ? r.headers.location.value : '',
  };
});
console.log(JSON.stringify(out));
