import { registerMessages } from '../../i18n.js';
import { registerScreens } from '../../screen.js';
import { messages } from './messages.js';
import { reportsScreen } from './reports.js';

registerMessages(messages);
registerScreens(reportsScreen);
