// Node entry, ES module: the CommonJS entry's API (one engine per process, whether the package
// is imported or required). The module is loaded on import: `ready` and `init()` resolve at once.
import api from './index.cjs';

export const {
  IptError, Course, call, ready, init, loadSchemas, /*@OPERATIONS@*/
} = api;
/** Test builds only: a deliberate panic (absent from the published package). */ // @TEST-ONLY@
export const panicForTest = api.panicForTest; // @TEST-ONLY@
