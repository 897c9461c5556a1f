// Conformance over HTTPS: `mcdlf serve --tls-cert --tls-key` (issue 8) with
// the official ali-oss client (signature V4, large bodies) and the RAM SDK,
// both verifying the server certificate against the test CA that
// tls.test.sh makes and hands to node (NODE_EXTRA_CA_CERTS). RAM and OSS see
// such requests as secure: a policy conditioned on acs:SecureTransport
// (reference/ram-sts.md §2) allows with "true" and not with "false".
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');
const OSS = require('ali-oss');
const Ram = require('@alicloud/ram20150501');
const OpenApi = require('@alicloud/openapi-client');
const { startServe } = require('./lib');

const RamClient = Ram.default;
const dir = process.env.MCDLF_TLS_DIR;

let serve;
test.before(async () => {
  if (!dir) throw new Error('MCDLF_TLS_DIR is not set (run through tls.test.sh)');
  serve = await startServe(['--tls-cert', path.join(dir, 'server.pem'), '--tls-key', path.join(dir, 'server.key')]);
});
test.after(async () => { if (serve) await serve.stop(); });

test('endpoints.json lists https:// endpoints', () => {
  for (const name of ['oss', 'dlf', 'ram'])
    assert.match(serve.endpoints.endpoints[name], /^https:\/\/127\.0\.0\.1:\d+$/);
});

function oss(extra = {}) {
  const e = serve.endpoints;
  return new OSS({
    region: 'oss-cn-hangzhou',
    endpoint: e.endpoints.oss,
    accessKeyId: e.access_key_id,
    accessKeySecret: e.access_key_secret,
    bucket: 'conf-tls',
    authorizationV4: true,
    secure: true,
    timeout: 20000,
    ...extra,
  });
}

// Virtual-hosted: the IP endpoint with Host conf-tls.oss-cn-hangzhou.aliyuncs.com,
// which the TLS front passes through unchanged.
test('ali-oss over HTTPS: bucket, put, get, list, a 3 MiB object', { timeout: 60000 }, async () => {
  const c = oss();
  await c.putBucket('conf-tls');
  await c.put('dir/hello.txt', Buffer.from('over TLS\n'), { headers: { 'Content-Type': 'text/plain' } });
  const got = await c.get('dir/hello.txt');
  assert.equal(got.res.status, 200);
  assert.equal(got.content.toString(), 'over TLS\n');
  assert.equal(got.res.headers['content-type'], 'text/plain');
  assert.match(got.res.headers['x-oss-request-id'], /^[0-9A-F]{24}$/);
  const list = await c.list({ prefix: 'dir/' });
  assert.deepEqual(list.objects.map((o) => o.name), ['dir/hello.txt']);
  const big = crypto.randomBytes(3 * 1024 * 1024 + 5);
  await c.put('big.bin', big);
  const back = await c.get('big.bin');
  assert.equal(back.content.length, big.length);
  assert.ok(back.content.equals(big), 'the 3 MiB object comes back unchanged');

  // Path style to https://localhost:PORT (sldEnable), as for presigned URLs.
  const port = new URL(serve.endpoints.endpoints.oss).port;
  const p = oss({ endpoint: `https://localhost:${port}`, sldEnable: true });
  const again = await p.get('dir/hello.txt');
  assert.equal(again.content.toString(), 'over TLS\n');
  const url = p.signatureUrl('dir/hello.txt', { expires: 600 });
  assert.match(url, new RegExp(`^https://localhost:${port}/conf-tls/dir/hello\\.txt\\?`));
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'over TLS\n');
});

function ram(accessKeyId, accessKeySecret) {
  return new RamClient(new OpenApi.Config({
    accessKeyId,
    accessKeySecret,
    protocol: 'https',
    endpoint: serve.endpoints.endpoints.ram.replace(/^https:\/\//, ''),
    regionId: 'cn-hangzhou',
  }));
}

test('RAM and OSS over HTTPS: acs:SecureTransport is true', { timeout: 60000 }, async () => {
  const e = serve.endpoints;
  const owner = ram(e.access_key_id, e.access_key_secret);
  const users = {};
  for (const [user, secure] of [['carol', 'true'], ['dave', 'false']]) {
    await owner.createUser(new Ram.CreateUserRequest({ userName: user }));
    await owner.createPolicy(new Ram.CreatePolicyRequest({
      policyName: `get-user-secure-${secure}`,
      policyDocument: JSON.stringify({
        Version: '1',
        Statement: [{
          Effect: 'Allow', Action: ['ram:GetUser', 'oss:GetObject'], Resource: ['*'],
          Condition: { Bool: { 'acs:SecureTransport': secure } },
        }],
      }),
    }));
    await owner.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({
      policyType: 'Custom', policyName: `get-user-secure-${secure}`, userName: user,
    }));
    const key = await owner.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: user }));
    const { accessKeyId, accessKeySecret } = key.body.accessKey;
    users[user] = { ram: ram(accessKeyId, accessKeySecret), oss: oss({ accessKeyId, accessKeySecret }) };
  }
  const got = await users.carol.ram.getUser(new Ram.GetUserRequest({ userName: 'carol' }));
  assert.equal(got.body.user.userName, 'carol');
  await assert.rejects(users.dave.ram.getUser(new Ram.GetUserRequest({ userName: 'dave' })), (err) => {
    assert.equal(err.code, 'NoPermission');
    assert.equal(err.statusCode, 403);
    assert.equal(err.accessDeniedDetail.AuthAction, 'ram:GetUser');
    return true;
  });
  // The object the ali-oss test wrote.
  const obj = await users.carol.oss.get('dir/hello.txt');
  assert.equal(obj.content.toString(), 'over TLS\n');
  await assert.rejects(users.dave.oss.get('dir/hello.txt'), (err) => {
    assert.equal(err.code, 'AccessDenied');
    assert.equal(err.status, 403);
    return true;
  });
});
