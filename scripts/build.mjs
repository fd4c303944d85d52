// Bundles the two programs with esbuild: the Ansible module and the local ECS emulator.
import { build } from "esbuild";

/** Shared esbuild settings: one self-contained CommonJS file per program, for the Node on the target. */
const COMMON = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  legalComments: "none",
  logLevel: "warning",
};

const PROGRAMS = [
  {
    entryPoints: ["src/main.ts"],
    outfile: "dist/ecs_ami.js",
    // Ansible passes a JSON args file to a module whose text contains WANT_JSON; esbuild drops ordinary
    // comments, so the marker lives in the banner.
    banner: { js: "#!/usr/bin/env node\n// WANT_JSON: Ansible passes the module arguments as a JSON file" },
  },
  {
    entryPoints: ["src/emulator/main.ts"],
    outfile: "dist/ecs-emulator.js",
    banner: { js: "#!/usr/bin/env node" },
  },
];

await Promise.all(PROGRAMS.map((program) => build({ ...COMMON, ...program })));
