// The query benchmark's ceiling: the api's own answers (bytes, headers, gzip as served) replayed by a
// bare node:http server from memory, in its own process. The same load generator against it gives
// the request rate this machine and this generator reach for these answers with no work behind them
// at all (a year of resource groups is 1.8 MB of JSON, ~0.2 MB gzipped). With autocannon that was
// ~1,000 req/s, far below the api's own limit; with bench/query/load.mjs it is tens of thousands.
//   node bench/query/answers-server.mjs FILE   (FILE: JSON {path: {headers, body (base64)}})
// Prints "listening PORT" once it serves.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const answers = new Map(
  Object.entries(JSON.parse(readFileSync(process.argv[2], 'utf8'))).map(([path, a]) => [path, { headers: a.headers, body: Buffer.from(a.body, 'base64') }]),
);
const server = createServer((req, res) => {
  const answer = answers.get(req.url);
  if (!answer) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { ...answer.headers, 'content-length': answer.body.length });
  res.end(answer.body);
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
