/** `client.artifacts`: the files agents produced. */
import type { Artifact, ArtifactDownload, ArtifactList, DownloadedArtifact } from "./answers.js";
import type { CallOptions, Caller } from "./caller.js";
import { answerOf } from "./json.js";
import { PagedList } from "./paging.js";
import { ArtifactVersionParams, artifactVersionShape, DownloadParams, downloadShape, ListArtifactsParams, listArtifactsShape } from "./params.js";
import { toWire } from "./wire.js";

/** The artifact calls. */
export class Artifacts {
  readonly #client: Caller;

  /** The calls of `client`. */
  constructor(client: Caller) {
    this.#client = client;
  }

  /** An agent's artifacts: `await` it for the first page, `for await` for every artifact. */
  list(agentId: string, params: ListArtifactsParams = {}, options?: CallOptions): PagedList<ArtifactList, Artifact> {
    const fetch = (cursor: string | undefined) =>
      answerOf<ArtifactList>(
        this.#client.call("list_artifacts", () => ({ agent_id: agentId, query: toWire(cursor === undefined ? params : { ...params, cursor }, listArtifactsShape, "query") }), options),
      );
    return new PagedList(fetch, (page) => page.artifacts);
  }

  /** Every artifact of the agent, page after page (the same as iterating `list`). */
  listAll(agentId: string, params: ListArtifactsParams = {}, options?: CallOptions): AsyncIterable<Artifact> {
    return this.list(agentId, params, options);
  }

  /** Where to fetch an artifact's bytes (the official SDK's `download`): a signed, short-lived URL. */
  download(artifactId: string, params: ArtifactVersionParams = {}, options?: CallOptions): Promise<ArtifactDownload> {
    return answerOf(this.#client.call("get_artifact_download", () => ({ artifact_id: artifactId, version_id: toWire(params, artifactVersionShape, "options")["version_id"] ?? null }), options));
  }

  /**
   * Fetches the bytes into `path` (written to a temporary name beside it, then renamed; no
   * Gumloop credential goes to the storage host). The answer describes what was written.
   */
  downloadToFile(artifactId: string, path: string, params: DownloadParams = {}, options?: CallOptions): Promise<DownloadedArtifact> {
    return answerOf(this.#client.call("download_artifact_to_file", () => ({ artifact_id: artifactId, path, options: toWire(params, downloadShape, "options") }), options));
  }

  /** Fetches the bytes into memory (no Gumloop credential goes to the storage host). */
  downloadBytes(artifactId: string, params: DownloadParams = {}, options?: CallOptions): Promise<Uint8Array> {
    const args = () => {
      const { version_id: versionId = null, ...rest } = toWire(params, downloadShape, "options");
      return { artifact_id: artifactId, version_id: versionId, options: rest };
    };
    return this.#client.bytes("download_artifact", args, options).then((done) => done.data);
  }
}
