// Every screen module registers itself here (one import per area).
import './caseworker/index.js';
import './admin/index.js';
import './privacy/index.js';
import './analyst/index.js';
