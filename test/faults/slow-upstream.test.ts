/**
 * The fault matrix for an upstream too slow to answer (headers or body held past the attempt timeout), on
 * real time: the socket timers end each attempt and the client's backoff is slept for real. Soak
 * (npm run test:soak); the faults answered at once are in test/faults/matrix.test.ts.
 */
import { faultMatrix, SLOW_FAULTS } from './matrix.js';

faultMatrix(SLOW_FAULTS);
