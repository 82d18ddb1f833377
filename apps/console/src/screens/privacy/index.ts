import { registerMessages } from '../../i18n.js';
import { registerScreens } from '../../screen.js';
import { accessLogScreen } from './access-log.js';
import { breakGlassScreen } from './break-glass.js';
import { flagsScreen } from './flags.js';
import { integrityScreen } from './integrity.js';
import { messages } from './messages.js';
import { roleGrantsScreen } from './role-grants.js';
import { survivorTrailScreen } from './survivor-trail.js';

registerMessages(messages);
registerScreens(accessLogScreen, survivorTrailScreen, flagsScreen, breakGlassScreen, integrityScreen, roleGrantsScreen);
