/** A warning a use case returns with its result; each face shows it its own way. */
export interface UseCaseWarning {
  /** Stable code, e.g. `config.not-verified`, `config.new-identity`, `secrets.not-stored`. */
  code: string;
  /** One sentence for humans. Never contains a secret. */
  message: string;
  /** The setting it concerns, when there is one. */
  setting?: string;
}
