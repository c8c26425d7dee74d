import { buildInfo } from '../version.ts';

export async function versionCommand(): Promise<number> {
  const { version, commit } = buildInfo();
  console.log(`callbox ${version} (commit ${commit}, node ${process.version})`);
  return 0;
}
