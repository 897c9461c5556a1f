// Signer cross-check (issue 8): mcdlf-sign-probe makes requests with the
// engine's own OSS and POP clients against recording endpoints here; every
// Authorization header and presigned URL is recomputed with the vendors'
// signers — ali-oss's signUtils (OSS V1 and V4) and @alicloud/openapi-util
// (POP ACS3-HMAC-SHA256) — from the recorded request, and must be equal.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { execFile } = require('node:child_process');
const signUtils = require('ali-oss/lib/common/signUtils');
const OpenApiUtil = require('@alicloud/openapi-util').default;

const AK = 'LTAI5tProbeKeyId00000001';
const SK = 'probe/Secret+Key=0123456789abcdef';
const REGION = 'cn-hangzhou';

// The V1 sub-resources (reference/oss-api.md §2: the signed query parameters).
const SUBRESOURCES = new Set(('acl uploads location cors logging website referer lifecycle delete append tagging ' +
  'objectMeta uploadId partNumber security-token position img style styleName replication replicationProgress ' +
  'replicationLocation cname bucketInfo comp qos live status vod startTime endTime symlink x-oss-process ' +
  'response-content-type x-oss-traffic-limit response-content-language response-expires response-cache-control ' +
  'response-content-disposition response-content-encoding restore callback callback-var policy stat encryption ' +
  'versions versioning versionId requestPayment continuation-token').split(' '));

function recorder(answer) {
  const seen = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const headers = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i].toLowerCase()] = req.rawHeaders[i + 1];
      seen.push({ method: req.method, url: req.url, headers, body: Buffer.concat(chunks) });
      const [status, type, body] = answer(req);
      res.writeHead(status, { 'content-type': type, etag: '"probe"', 'x-oss-request-id': 'probe' });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, seen,
    url: `http://127.0.0.1:${server.address().port}` })));
}

function ossAnswer(req) {
  if (req.method === 'POST' && req.url.includes('uploads'))
    return [200, 'application/xml', '<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult>' +
      '<Bucket>probe</Bucket><Key>k</Key><UploadId>u</UploadId></InitiateMultipartUploadResult>'];
  if (req.method === 'GET')
    return [200, 'application/xml', '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>probe</Name>' +
      '<KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>'];
  return [200, 'application/xml', ''];
}

// Path-style: /bucket/key (decoded) and the decoded query; a parameter sent
// without '=' (a sub-resource such as `uploads`) is null, as ali-oss's own
// createRequest passes sub-resources with no value to authorizationV4.
function ossParts(rawUrl) {
  const u = new URL(rawUrl, 'http://x');
  const segs = u.pathname.split('/');
  const bucket = decodeURIComponent(segs[1]);
  const key = segs.length > 2 ? decodeURIComponent(segs.slice(2).join('/')) : '';
  const queries = {};
  for (const part of u.search.replace(/^\?/, '').split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const dec = (x) => decodeURIComponent(x.replace(/\+/g, ' '));
    if (eq < 0) queries[dec(part)] = null;
    else queries[dec(part.slice(0, eq))] = dec(part.slice(eq + 1));
  }
  return { bucket, key, queries };
}

function authField(auth, name) {
  const m = auth.match(new RegExp(`${name}=([^,]*)`));
  return m ? m[1] : undefined;
}

let oss, pop, probe;
test.before(async () => {
  oss = await recorder(ossAnswer);
  pop = await recorder(() => [200, 'application/json', '{"RequestId":"probe"}']);
  const bin = process.env.MCDLF_SIGN_PROBE;
  assert.ok(bin, 'MCDLF_SIGN_PROBE is not set (run through ctest)');
  // Asynchronously: the recorders answer from this process's event loop.
  probe = await new Promise((resolve) => execFile(bin, [oss.url, pop.url, AK, SK, REGION], { timeout: 60000 },
    (error, stdout, stderr) => resolve({ error, stdout, stderr })));
  assert.equal(probe.error, null, probe.stderr);
});
test.after(() => { oss.server.close(); pop.server.close(); });

test('every OSS request the client sent was recorded', () => {
  // 3 rounds (V4, V1, V4 with an STS token) x 5 requests.
  assert.equal(oss.seen.length, 15, JSON.stringify(oss.seen.map((r) => `${r.method} ${r.url}`)));
});

test('OSS V4 Authorization equals ali-oss authorizationV4 on the same request', () => {
  const v4 = oss.seen.filter((r) => r.headers.authorization.startsWith('OSS4-HMAC-SHA256'));
  assert.equal(v4.length, 10);
  for (const r of v4) {
    const { bucket, key, queries } = ossParts(r.url);
    const extra = authField(r.headers.authorization, 'AdditionalHeaders');
    const want = signUtils.authorizationV4(AK, SK, REGION, r.method, { headers: r.headers, queries }, bucket,
      key || undefined, extra ? extra.split(';') : undefined);
    assert.equal(r.headers.authorization, want, `${r.method} ${r.url}`);
    assert.equal(r.headers['x-oss-content-sha256'], 'UNSIGNED-PAYLOAD');
  }
  const sts = v4.filter((r) => r.headers['x-oss-security-token']);
  assert.equal(sts.length, 5);
  assert.equal(sts[0].headers['x-oss-security-token'], 'CAIS-token/with+chars=');
});

test('OSS V1 Authorization equals ali-oss buildCanonicalString + authorization', () => {
  const v1 = oss.seen.filter((r) => r.headers.authorization.startsWith('OSS '));
  assert.equal(v1.length, 5);
  for (const r of v1) {
    const { bucket, key, queries } = ossParts(r.url);
    const sub = {};
    for (const k of Object.keys(queries)) if (SUBRESOURCES.has(k) || k.startsWith('x-oss-')) sub[k] = queries[k];
    const resource = `/${bucket}/${key}`;
    const canonical = signUtils.buildCanonicalString(r.method, resource, { headers: r.headers, parameters: sub },
      r.headers['x-oss-date'] || r.headers.date);
    assert.equal(r.headers.authorization, signUtils.authorization(AK, SK, canonical), `${r.method} ${r.url}`);
  }
});

test('presigned URLs verify with ali-oss signers (V1, V4, V4 with token)', () => {
  const urls = probe.stdout.trim().split('\n').filter((l) => l.startsWith('PRESIGN ')).map((l) => l.split(' '));
  assert.deepEqual(urls.map((u) => u[1]), ['v4', 'v1', 'v4']);
  for (const [, kind, url] of urls) {
    const { bucket, key, queries } = ossParts(new URL(url).pathname + new URL(url).search);
    if (kind === 'v1') {
      const sub = {};
      for (const k of Object.keys(queries)) if (SUBRESOURCES.has(k)) sub[k] = queries[k];
      const canonical = signUtils.buildCanonicalString('GET', `/${bucket}/${key}`, { headers: {}, parameters: sub },
        queries.Expires);
      assert.equal(queries.OSSAccessKeyId, AK);
      assert.equal(queries.Signature, signUtils.computeSignature(SK, canonical), url);
    } else {
      const { 'x-oss-signature': signature, ...signed } = queries;
      const extra = signed['x-oss-additional-headers'];
      const canonical = signUtils.getCanonicalRequest('GET', { headers: {}, queries: signed }, bucket, key,
        extra ? extra.split(';') : undefined);
      const date = signed['x-oss-date'];
      const sts = signUtils.getStringToSign(REGION, date, canonical);
      assert.equal(signature, signUtils.getSignatureV4(SK, date.split('T')[0], REGION, sts), url);
      assert.equal(signed['x-oss-credential'], signUtils.getCredential(date.split('T')[0], REGION, AK));
    }
  }
});

test('POP ACS3-HMAC-SHA256 Authorization equals @alicloud/openapi-util getAuthorization', () => {
  assert.equal(pop.seen.length, 3);
  for (const r of pop.seen) {
    const u = new URL(r.url, 'http://x');
    const query = {};
    for (const [k, v] of u.searchParams) query[k] = v;
    const payload = r.headers['x-acs-content-sha256'];
    const want = OpenApiUtil.getAuthorization({ method: r.method, pathname: u.pathname, headers: r.headers, query },
      'ACS3-HMAC-SHA256', payload, AK, SK);
    assert.equal(r.headers.authorization, want, `${r.headers['x-acs-action']} ${r.url}`);
  }
  const actions = pop.seen.map((r) => r.headers['x-acs-action']);
  assert.deepEqual(actions, ['CreateUser', 'AssumeRole', 'GetCallerIdentity']);
  assert.equal(pop.seen[2].headers['x-acs-security-token'], 'CAIS-sts-token');
});
