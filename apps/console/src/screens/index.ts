// Every screen module registers itself here (one import per area).
import './admin/index.js';
import './privacy/index.js';
import './analyst/index.js';
