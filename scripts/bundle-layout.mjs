// The layout of dist/ecs_ami.js and dist/ecs_ami_info.js: a small loader, then the program and the SDK, each with
// a V8 code cache made at build time, kept as comment lines inside one function that never runs.
//
// Why this shape (issue 6, start-up): Node reads and V8 scans the whole file on every run, but V8 skips comments
// far faster than it parses code. The loader takes the comments back with Function.prototype.toString (no second
// read of the file), compiles the program with its code cache (V8 then neither parses nor compiles the functions
// a run uses), and decodes and compiles the SDK only when a run reaches the cloud. Every byte costs every run
// (about 4 ms per MB to read and scan), so the SDK and its cache are brotli-compressed: a validation failure pays
// for their compressed size only, a cloud run about 2 ms to inflate them. The SDK code a run with a static access
// key never executes (lodash, moment, XML, WebSocket, credential providers) is a third part, inflated only if
// something ever requires it. A Node whose V8 rejects a code cache compiles the source instead:
// the same behaviour, only slower. The file stays one self-contained script.

import { Buffer } from "node:buffer";
import { promisify } from "node:util";
import { brotliCompress, constants } from "node:zlib";

/** The tag of each part: a payload line is `//<tag> <text>` (tests and the bench read them too). */
const PART_TAGS = Object.freeze({
  main: "M",
  mainCache: "m",
  sdk: "S",
  sdkCache: "s",
  sdkRest: "R",
});

/** The name of the function whose body holds the parts. */
const PAYLOAD_FUNCTION = "__ecsAmiPayload";
/** The free name through which the program reaches the loader (the SDK import resolves to `.sdk()`). */
export const BUNDLE_GLOBAL = "__ecsAmiBundle";
/** Environment variable naming the file a training bundle writes its code caches to when the run ends. */
export const TRAIN_ENV = "ECS_AMI_TRAIN_CODE_CACHE";

/**
 * Checks that code can live in `//` comments and be read back byte for byte: no line terminator but \n, and
 * ASCII only (V8 then keeps the file as a one-byte string). esbuild's default ASCII charset guarantees this.
 */
function assertCommentSafe(code, what) {
  assertMatchesNowhere(/[^\n\x20-\x7e\t]/, code, `${what} has a character that cannot live in a // comment`);
}

/** Checks that code survives a latin1 round trip unchanged (the loader decodes the compressed parts so). */
function assertAscii(code, what) {
  assertMatchesNowhere(/[\u0080-\uffff]/, code, `${what} has a character that is not ASCII`);
}

function assertMatchesNowhere(pattern, code, message) {
  const bad = pattern.exec(code);
  if (bad !== null) throw new Error(`${message} at offset ${bad.index}: ${JSON.stringify(bad[0])}`);
}

/** The payload lines of one part. */
function partLines(tag, lines) {
  return lines.map((line) => `//${tag} ${line}`);
}

/** How the loader wraps the program: the head and tail must match the loader's text for a code cache to apply. */
const MAIN_HEAD = `(function (exports, require, module, __filename, __dirname, ${BUNDLE_GLOBAL}) {`;
/** How the loader wraps each SDK part (CommonJS modules given the SDK's own require). */
const SDK_HEAD = "(function (require, module, exports) {";
const WRAPPER_TAIL = "\n})";

/**
 * The loader: plain, old-style JavaScript, so that even a Node too old for the program parses it and can report
 * the version problem as an Ansible failure. `training` makes it write its code caches when the run ends.
 */
function loaderSource({ moduleName, minNodeMajor, restSpecifiers, training }) {
  return `"use strict";
(function (payload) {
  var NAME = ${JSON.stringify(moduleName)};
  function fail(msg) {
    process.exitCode = 1;
    require("fs").writeSync(1, JSON.stringify({ failed: true, changed: false, msg: msg }) + "\\n");
  }
  var nodeMajor = Number(process.versions.node.split(".")[0]);
  if (!(nodeMajor >= ${minNodeMajor})) {
    fail(NAME + " needs Node.js ${minNodeMajor} or later, but " + process.execPath + " is " + process.version +
      ": install a newer Node.js or point ECS_AMI_NODE at one");
    return;
  }
  var main;
  try {
    var vm = require("vm");
    var MAIN_HEAD = ${JSON.stringify(MAIN_HEAD)};
    var SDK_HEAD = ${JSON.stringify(SDK_HEAD)};
    var TAIL = ${JSON.stringify(WRAPPER_TAIL)};
    var text = payload.toString();
    function part(tag) {
      var prefix = "//" + tag + " ";
      var found = [];
      var at = text.indexOf("\\n" + prefix);
      while (at >= 0 && text.startsWith(prefix, at + 1)) {
        var end = text.indexOf("\\n", at + 1);
        found.push(text.slice(at + 1 + prefix.length, end));
        at = end;
      }
      return found;
    }
    var scripts = {};
    function unpack(tag, name, optional) {
      var base64 = part(tag).join("");
      if (base64 === "" && optional) return Buffer.alloc(0);
      if (base64 === "") throw new Error("The " + name + " of " + __filename + " is missing: rebuild it with npm run build");
      return require("zlib").brotliDecompressSync(Buffer.from(base64, "base64"));
    }
    function compile(name, source, cachedData) {
      var options = { filename: __filename + (name === "main" ? "" : "#" + name) };
      if (cachedData.length > 0) options.cachedData = cachedData;
      scripts[name] = new vm.Script(source, options);
      return scripts[name].runInThisContext();
    }
    function runModule(factory, requireFn) {
      var loaded = { exports: {} };
      factory(requireFn, loaded, loaded.exports);
      return loaded.exports;
    }
    var rest;
    function sdkRest() {
      if (rest === undefined) {
        rest = runModule(compile("sdk-rest", SDK_HEAD + unpack("${PART_TAGS.sdkRest}", "SDK rest part").toString("latin1") + TAIL, Buffer.alloc(0)), require);
      }
      return rest;
    }
    var restSpecifiers = ${JSON.stringify(restSpecifiers)};
    function sdkRequire(specifier) {
      return restSpecifiers.indexOf(specifier) >= 0 ? sdkRest()[specifier] : require(specifier);
    }
    var sdk;
    var bundle = {
      sdk: function () {
        if (sdk === undefined) {
          var source = SDK_HEAD + unpack("${PART_TAGS.sdk}", "SDK part").toString("latin1") + TAIL;
          sdk = runModule(compile("sdk", source, unpack("${PART_TAGS.sdkCache}", "SDK code cache part", true)), sdkRequire);
        }
        return sdk;
      }
    };${
      training
        ? `
    var trainOutput = process.env.${TRAIN_ENV};
    if (trainOutput) {
      process.on("exit", function () {
        var caches = {};
        for (var name in scripts) caches[name] = scripts[name].createCachedData().toString("base64");
        require("fs").writeFileSync(trainOutput, JSON.stringify(caches));
      });
    }`
        : ""
    }
    var mainLines = part("${PART_TAGS.main}");
    if (mainLines.length === 0) throw new Error("The program part of " + __filename + " is missing: rebuild it with npm run build");
    var mainSource = MAIN_HEAD + mainLines.join("\\n") + TAIL;
    main = compile("main", mainSource, Buffer.from(part("${PART_TAGS.mainCache}").join(""), "base64"));
  } catch (error) {
    // Only a damaged bundle gets here: say so as an Ansible failure, not with a stack trace.
    fail(NAME + " could not start: " + (error && error.message ? error.message : String(error)));
    return;
  }
  // The program reports its own failures.
  main(exports, require, module, __filename, __dirname, bundle);
})(${PAYLOAD_FUNCTION});
`;
}

const brotli = promisify(brotliCompress);

/**
 * One line of base64: brotli-compressed bytes (a fifth smaller than gzip, as fast to inflate). Asynchronous, so
 * that the parts compress in parallel on libuv's thread pool (maximum quality takes about a second per MB).
 */
export async function compressedLine(bytes) {
  const params = {
    [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
    [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
  };
  return (await brotli(bytes, { params })).toString("base64");
}

/**
 * The SDK's code parts, checked and compressed once for every bundle that carries them.
 * @param {{ sdk: string, sdkRest: string }} parts  the SDK code a cloud run executes (CommonJS exporting
 *   `{ [specifier]: module }`), and the rest of the SDK, required through the rest specifiers
 * @returns {Promise<{ sdkLine: string, restLine: string }>}
 */
export async function compressSdkParts({ sdk, sdkRest }) {
  assertAscii(sdk, "SDK part");
  assertAscii(sdkRest, "SDK rest");
  const [sdkLine, restLine] = await Promise.all(
    [sdk, sdkRest].map((code) => compressedLine(Buffer.from(code, "latin1"))),
  );
  return { sdkLine, restLine };
}

/**
 * The whole bundle text.
 * @param {object} parts
 * @param {string} parts.banner  first lines (shebang, WANT_JSON marker)
 * @param {string} parts.moduleName  for the loader's Node version message
 * @param {number} parts.minNodeMajor
 * @param {string} parts.main  the program (CommonJS, esbuild output)
 * @param {string} parts.mainCache  its V8 code cache, base64 ("" for a training bundle)
 * @param {string} parts.sdkLine  compressedSdkParts' sdkLine
 * @param {string} parts.sdkCacheLine  the SDK part's V8 code cache, compressedLine ("" for a training bundle)
 * @param {string} parts.restLine  compressedSdkParts' restLine
 * @param {string[]} parts.restSpecifiers  the specifiers the SDK part requires from the rest
 * @param {boolean} parts.training  write the code caches at the end of the run (see TRAIN_ENV)
 */
export function assembleBundle(parts) {
  assertCommentSafe(parts.main, `${parts.moduleName} program`);
  const payload = [
    ...partLines(PART_TAGS.main, parts.main.split("\n")),
    ...partLines(PART_TAGS.mainCache, [parts.mainCache]),
    ...partLines(PART_TAGS.sdk, [parts.sdkLine]),
    ...partLines(PART_TAGS.sdkCache, [parts.sdkCacheLine]),
    ...partLines(PART_TAGS.sdkRest, [parts.restLine]),
  ];
  return [parts.banner, loaderSource(parts), `function ${PAYLOAD_FUNCTION}() {`, ...payload, "}", ""].join(
    "\n",
  );
}
