// Integration specs (real slapd, Samba AD DC, keyring, fake Bitwarden server). See jest.config.js.
import { integration } from './jest.config.js';
export default { ...integration, rootDir: import.meta.dirname };
