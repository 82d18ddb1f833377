// Every screen module registers itself here (one import per area).
import './caseworker/index.js';
