import type { BuildOptions } from 'esbuild';

export function electronBuildOptions(root?: string): { main: BuildOptions; preload: BuildOptions };
