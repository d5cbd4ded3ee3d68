// Wires a RegistryClient from configuration values the caller read (no environment access here).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from './client.js';
import { chainCredentials, type CredentialLookup, dockerConfigCredentials, readDockerConfig, registryAuthValueCredentials } from './credentials.js';

export interface RegistrySetup {
  /** From `Config.insecureRegistries`. */
  insecureRegistries?: readonly string[];
  /** The raw `WASSETTE_REGISTRY_AUTH` value, if set (see `registryAuthValueCredentials` for the format). */
  registryAuthValue?: string | undefined;
  /** Docker config directory: `$DOCKER_CONFIG`, else `~/.docker`. Pass `null` to ignore docker config. */
  dockerConfigDir?: string | null;
  timeoutMs?: number;
}

/** `WASSETTE_REGISTRY_AUTH` first, then the docker config (auths, credHelpers, credsStore). */
export async function registryCredentials(setup: RegistrySetup): Promise<CredentialLookup> {
  const lookups: CredentialLookup[] = [];
  if (setup.registryAuthValue) lookups.push(registryAuthValueCredentials(setup.registryAuthValue));
  if (setup.dockerConfigDir !== null) {
    const docker = await readDockerConfig(setup.dockerConfigDir ?? join(homedir(), '.docker'));
    if (docker) lookups.push(dockerConfigCredentials(docker));
  }
  return chainCredentials(...lookups);
}

/**
 * The usual way to get a client: `await createRegistryClient({insecureRegistries: config.insecureRegistries,
 * registryAuthValue: env.WASSETTE_REGISTRY_AUTH, dockerConfigDir: env.DOCKER_CONFIG})`.
 */
export async function createRegistryClient(setup: RegistrySetup = {}): Promise<RegistryClient> {
  return new RegistryClient({
    credentials: await registryCredentials(setup),
    insecureRegistries: setup.insecureRegistries ?? [],
    ...(setup.timeoutMs !== undefined ? { timeoutMs: setup.timeoutMs } : {}),
  });
}
