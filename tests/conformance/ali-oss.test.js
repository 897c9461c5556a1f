// Conformance: the official ali-oss npm client against `mcdlf serve`, in
// signature V1 and V4 modes (issue 2, acceptance 4). Asserts contents, headers
// and error codes as ali-oss surfaces them.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const OSS = require('ali-oss');
const { startServe } = require('./lib');

let serve;
test.before(async () => { serve = await startServe(); });
test.after(async () => { if (serve) await serve.stop(); });

function client(bucket, v4, extra = {}) {
  const e = serve.endpoints;
  return new OSS({
    region: 'oss-cn-hangzhou',
    endpoint: e.endpoints.oss, // an IP endpoint: ali-oss sends Host: <bucket>.oss-cn-hangzhou.aliyuncs.com
    accessKeyId: e.access_key_id,
    accessKeySecret: e.access_key_secret,
    bucket,
    authorizationV4: v4,
    secure: false,
    timeout: 20000,
    ...extra,
  });
}

function md5hex(buf) {
  return crypto.createHash('md5').update(buf).digest('hex').toUpperCase();
}

for (const v4 of [false, true]) {
  const mode = v4 ? 'V4' : 'V1';
  const bucket = `conf-${mode.toLowerCase()}`;

  test(`${mode}: bucket create, put/get/head with metadata`, { timeout: 60000 }, async () => {
    const c = client(bucket, v4);
    await c.putBucket(bucket);
    const body = Buffer.from('hello mcdlf');
    const put = await c.put('dir/a b+c.txt', body, { meta: { k1: 'v1' }, mime: 'text/plain' });
    assert.equal(put.res.status, 200);
    assert.equal(put.res.headers.etag, `"${md5hex(body)}"`);
    const got = await c.get('dir/a b+c.txt');
    assert.equal(got.content.toString(), 'hello mcdlf');
    const head = await c.head('dir/a b+c.txt');
    assert.equal(head.meta.k1, 'v1');
    assert.equal(head.res.headers['content-length'], String(body.length));
    assert.equal(head.res.headers['content-type'], 'text/plain');
  });

  test(`${mode}: range reads, including suffix ranges`, { timeout: 60000 }, async () => {
    const c = client(bucket, v4);
    await c.put('range.txt', Buffer.from('0123456789'));
    const r1 = await c.get('range.txt', { headers: { Range: 'bytes=2-5' } });
    assert.equal(r1.res.status, 206);
    assert.equal(r1.content.toString(), '2345');
    const r2 = await c.get('range.txt', { headers: { Range: 'bytes=-3' } });
    assert.equal(r2.content.toString(), '789');
  });

  test(`${mode}: append with position checks`, { timeout: 60000 }, async () => {
    const c = client(bucket, v4);
    const a1 = await c.append('log.txt', Buffer.from('abc'));
    assert.equal(a1.nextAppendPosition, '3');
    await c.append('log.txt', Buffer.from('def'), { position: a1.nextAppendPosition });
    assert.equal((await c.get('log.txt')).content.toString(), 'abcdef');
    await assert.rejects(c.append('log.txt', Buffer.from('x'), { position: 1 }),
      (err) => err.code === 'PositionNotEqualToLength' && err.status === 409);
  });

  test(`${mode}: list v1 and v2 with delimiter and pagination`, { timeout: 60000 }, async () => {
    const c = client(bucket, v4);
    for (const k of ['p/1', 'p/2', 'p/3', 'p/sub/x', 'q']) await c.put(k, Buffer.from(k));
    const l1 = await c.list({ prefix: 'p/', delimiter: '/', 'max-keys': 2 });
    assert.deepEqual(l1.objects.map((o) => o.name), ['p/1', 'p/2']);
    assert.equal(l1.isTruncated, true);
    const l2 = await c.list({ prefix: 'p/', delimiter: '/', 'max-keys': 2, marker: l1.nextMarker });
    assert.deepEqual(l2.objects.map((o) => o.name), ['p/3']);
    assert.deepEqual(l2.prefixes, ['p/sub/']);
    assert.equal(l2.isTruncated, false);
    const v2a = await c.listV2({ prefix: 'p/', 'max-keys': 3 });
    assert.deepEqual(v2a.objects.map((o) => o.name), ['p/1', 'p/2', 'p/3']);
    assert.equal(v2a.isTruncated, true);
    const v2b = await c.listV2({ prefix: 'p/', 'max-keys': 3, 'continuation-token': v2a.nextContinuationToken });
    assert.deepEqual(v2b.objects.map((o) => o.name), ['p/sub/x']);
    assert.equal(v2b.isTruncated, false);
  });

  test(`${mode}: copy and delete-multiple (quiet)`, { timeout: 60000 }, async () => {
    const c = client(bucket, v4);
    await c.put('src.txt', Buffer.from('copy me'));
    await c.copy('dst.txt', 'src.txt');
    assert.equal((await c.get('dst.txt')).content.toString(), 'copy me');
    const del = await c.deleteMulti(['src.txt', 'dst.txt', 'never-existed'], { quiet: true });
    assert.deepEqual(del.deleted, []);
    await assert.rejects(c.get('dst.txt'), (err) => err.code === 'NoSuchKey' && err.status === 404);
  });

  test(`${mode}: multipart upload of a file`, { timeout: 60000 }, async () => {
    const c = client(bucket, v4);
    const file = path.join(os.tmpdir(), `mcdlf-mp-${process.pid}-${mode}`);
    const data = crypto.randomBytes(300 * 1024 + 17);
    fs.writeFileSync(file, data);
    try {
      const res = await c.multipartUpload('mp/big.bin', file, { partSize: 100 * 1024 });
      assert.equal(res.res.status, 200);
      const got = await c.get('mp/big.bin');
      assert.equal(got.content.length, data.length);
      assert.ok(got.content.equals(data));
    } finally {
      fs.unlinkSync(file);
    }
  });

  test(`${mode}: errors as OSS reports them`, { timeout: 60000 }, async () => {
    const c = client(bucket, v4);
    await assert.rejects(c.get('no/such/key'), (err) => err.code === 'NoSuchKey' && err.status === 404);
    const missing = client('no-such-bucket-x', v4);
    await assert.rejects(missing.get('k'), (err) => err.code === 'NoSuchBucket' && err.status === 404);
    const bad = client(bucket, v4, { accessKeySecret: 'wrong-secret' });
    await assert.rejects(bad.get('range.txt'), (err) => err.code === 'SignatureDoesNotMatch' && err.status === 403);
    const unknown = client(bucket, v4, { accessKeyId: 'LTAInosuchkey000000000000' });
    await assert.rejects(unknown.get('range.txt'), (err) => err.code === 'InvalidAccessKeyId' && err.status === 403);
    await c.put('nooverwrite.txt', Buffer.from('1'));
    await assert.rejects(c.put('nooverwrite.txt', Buffer.from('2'), { headers: { 'x-oss-forbid-overwrite': 'true' } }),
      (err) => err.code === 'FileAlreadyExists' && err.status === 409);
  });

  test(`${mode}: presigned GET and PUT (path style)`, { timeout: 60000 }, async () => {
    const port = new URL(serve.endpoints.endpoints.oss).port;
    const c = client(bucket, v4, { endpoint: `http://localhost:${port}`, sldEnable: true });
    await c.put('signed.txt', Buffer.from('presigned body'));
    const url = v4
      ? await c.signatureUrlV4('GET', 600, undefined, 'signed.txt')
      : c.signatureUrl('signed.txt', { expires: 600 });
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'presigned body');
    const putUrl = v4
      ? await c.signatureUrlV4('PUT', 600, { headers: { 'Content-Type': 'text/plain' } }, 'signed-put.txt')
      : c.signatureUrl('signed-put.txt', { method: 'PUT', expires: 600, 'Content-Type': 'text/plain' });
    const put = await fetch(putUrl, { method: 'PUT', body: 'uploaded', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(put.status, 200);
    assert.equal((await c.get('signed-put.txt')).content.toString(), 'uploaded');
  });
}
