#!/usr/bin/env node
// Runs ONNX models in ONNX Runtime (onnxruntime-node, installed by build/install-onnx-tools.sh) for the C# tests.
//
// Usage:
//   node build/onnx/ort-run.js <model.onnx> <input.bin> <dims> <output.bin>
//   node build/onnx/ort-run.js --jobs <jobs.json>
// where <input.bin> and <output.bin> hold raw little-endian float32 values and <dims> is the input shape, such as
// 3,1,28,28. A jobs file is a JSON array of {"model", "input", "dims", "output"} objects, run in one process.
// The model's first input is fed and its first output written; for each job one JSON line
// {"model": ..., "output": ..., "dims": [...]} is printed to stdout. Errors go to stderr with exit code 1.
'use strict';

const fs = require('fs');
const path = require('path');

function loadRuntime() {
  try {
    return require(path.join(__dirname, 'node_modules', 'onnxruntime-node'));
  } catch (error) {
    console.error(`ort-run: onnxruntime-node is not installed in ${__dirname}/node_modules; run build/install-onnx-tools.sh (${error.message})`);
    process.exit(2);
  }
}

function readFloats(file) {
  const bytes = fs.readFileSync(file);
  const values = new Float32Array(bytes.length / 4);
  for (let i = 0; i < values.length; i++) {
    values[i] = bytes.readFloatLE(i * 4);
  }
  return values;
}

function writeFloats(file, values) {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    bytes.writeFloatLE(values[i], i * 4);
  }
  fs.writeFileSync(file, bytes);
}

async function run(ort, job) {
  const session = await ort.InferenceSession.create(job.model, { graphOptimizationLevel: job.optimization || 'all' });
  const input = new ort.Tensor('float32', readFloats(job.input), job.dims);
  const results = await session.run({ [session.inputNames[0]]: input });
  const output = results[session.outputNames[0]];
  writeFloats(job.output, output.data);
  console.log(JSON.stringify({ model: job.model, output: job.output, dims: output.dims.map(Number) }));
}

async function main() {
  const args = process.argv.slice(2);
  let jobs;
  if (args.length === 2 && args[0] === '--jobs') {
    jobs = JSON.parse(fs.readFileSync(args[1], 'utf8'));
  } else if (args.length === 4) {
    jobs = [{ model: args[0], input: args[1], dims: args[2].split(',').map(Number), output: args[3] }];
  } else {
    console.error('usage: ort-run.js <model.onnx> <input.bin> <dims> <output.bin> | --jobs <jobs.json>');
    process.exit(2);
  }

  const ort = loadRuntime();
  for (const job of jobs) {
    try {
      await run(ort, job);
    } catch (error) {
      console.error(`ort-run: ${job.model}: ${error.message}`);
      process.exit(1);
    }
  }
}

main();
