// Shared helpers for conformance tests: start `mcdlf serve` on a fresh state
// directory and read its endpoints.json (the stable interface other tools use).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// extraArgs go to `mcdlf serve` (e.g. ['--tls-cert', CERT, '--tls-key', KEY]).
async function startServe(extraArgs = []) {
  const bin = process.env.MCDLF_BIN;
  if (!bin) throw new Error('MCDLF_BIN is not set (run through ctest)');
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdlf-conf-'));
  const child = spawn(bin, ['serve', '--state', state, ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpointsFile = path.join(state, 'endpoints.json');
  const deadline = Date.now() + 15000;
  while (!fs.existsSync(endpointsFile)) {
    if (child.exitCode !== null) throw new Error(`mcdlf serve exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('mcdlf serve did not write endpoints.json');
    await new Promise((r) => setTimeout(r, 50));
  }
  const endpoints = JSON.parse(fs.readFileSync(endpointsFile, 'utf8'));
  return {
    endpoints,
    state,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(state, { recursive: true, force: true });
    },
  };
}

module.exports = { startServe };
