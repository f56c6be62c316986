// Unit specs only (no servers). See jest.config.js.
import { unit } from './jest.config.js';
export default { ...unit, rootDir: import.meta.dirname };
