// Crash consistency of the OSS store (issue 2, acceptance 5): `mcdlf serve`
// is killed with SIGKILL at random points while a client writes objects
// (simple puts and overwrites); after each restart every listed object must be
// whole: its bytes regenerate from its own header and match its ETag.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const OSS = require('ali-oss');

const KILLS = Number(process.env.MCDLF_CRASH_KILLS || 8);

function body(key, version) {
  // Deterministic content: a header naming key and version, then filler
  // derived from it; sizes from 1 byte to ~200 KiB.
  const seed = crypto.createHash('sha256').update(`${key}#${version}`).digest();
  const size = 64 + (seed.readUInt32BE(0) % (200 * 1024));
  const head = Buffer.from(`${key}|${version}|`);
  const out = Buffer.alloc(size);
  head.copy(out);
  for (let i = head.length; i < size; i++) out[i] = seed[i % seed.length] ^ (i & 0xff);
  return out;
}

async function start(state) {
  const file = path.join(state, 'endpoints.json');
  fs.rmSync(file, { force: true });
  const child = spawn(process.env.MCDLF_BIN, ['serve', '--state', state], { stdio: 'ignore' });
  const deadline = Date.now() + 15000;
  while (!fs.existsSync(file)) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('serve did not start');
    await new Promise((r) => setTimeout(r, 30));
  }
  const e = JSON.parse(fs.readFileSync(file, 'utf8'));
  const client = new OSS({
    region: 'oss-cn-hangzhou', endpoint: e.endpoints.oss, accessKeyId: e.access_key_id,
    accessKeySecret: e.access_key_secret, bucket: 'crash', secure: false, timeout: 5000, retryMax: 0,
  });
  return { child, client };
}

async function verifyAll(client) {
  let token;
  let checked = 0;
  do {
    const page = await client.listV2({ 'max-keys': 1000, 'continuation-token': token });
    for (const o of page.objects || []) {
      const got = await client.get(o.name);
      const text = got.content.subarray(0, 64).toString('latin1');
      const [key, version] = text.split('|');
      assert.equal(key, o.name, `object ${o.name} holds another key's header`);
      const want = body(key, Number(version));
      assert.ok(got.content.equals(want), `object ${o.name} is not whole (version ${version})`);
      const md5 = crypto.createHash('md5').update(got.content).digest('hex').toUpperCase();
      assert.equal(got.res.headers.etag, `"${md5}"`);
      checked++;
    }
    token = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (token);
  return checked;
}

// About a second per kill on 2 cores; the long run (ci/crash) needs more than the default.
test(`objects stay whole across ${KILLS} SIGKILLs of the emulator`, { timeout: Math.max(240000, KILLS * 3000) }, async () => {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdlf-crash-'));
  let total = 0;
  try {
    let { child, client } = await start(state);
    await client.putBucket('crash');
    for (let round = 0; round < KILLS; round++) {
      const killAfter = 20 + Math.floor(Math.random() * 200);
      const writer = (async () => {
        for (let i = 0; ; i++) {
          const key = `k${(round * 7 + i) % 40}`;
          try { await client.put(key, body(key, round * 1000 + i)); } catch { return; }
        }
      })();
      await new Promise((r) => setTimeout(r, killAfter));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await writer;
      ({ child, client } = await start(state));
      total += await verifyAll(client);
    }
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    console.log(`crash: ${KILLS} kills survived, ${total} object reads verified`);
  } finally {
    fs.rmSync(state, { recursive: true, force: true });
  }
});
